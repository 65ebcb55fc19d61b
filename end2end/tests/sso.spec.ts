import { test, expect, type Page } from '@playwright/test';

// Single sign-on through a real OpenID provider (oidc-provider, started by playwright.config.ts):
// the provider's log-in form and consent page, back to the app, signed in; the profile lists the
// linked account and protects it as the only way to log in. A password account whose email the
// provider also reports is not taken over; its owner links the provider from the profile, unlinks
// it, and changes the password. And provider errors on the log-in page.

const PASSWORD = 'correct horse battery';

async function hydrated(page: Page) {
  await expect(page.locator('.app')).toHaveAttribute('data-hydrated', 'true');
}

/** Signs in at the provider's own pages (log-in form, consent) as `user`. */
async function atProvider(page: Page, user: string) {
  await expect(page).toHaveURL(/127\.0\.0\.1:\d+\/interaction\//);
  await page.fill('input[name="login"]', user);
  await page.fill('input[name="password"]', 'any password');
  await page.click('button[type="submit"]');
  await expect(page.getByRole('button', { name: 'Continue' })).toBeVisible();
  await page.getByRole('button', { name: 'Continue' }).click();
}

test('a user logs in through the OpenID provider and lands signed in', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const user = `grace${Date.now()}`;

  await page.goto('/login?next=/workflows');
  await hydrated(page);
  await page.click('#sso-local');
  await atProvider(page, user);

  await expect(page).toHaveURL(/\/workflows$/);
  await expect(page.locator('#user-menu')).toContainText(user);
  await page.click('#user-menu');
  await expect(page.locator('.menu')).toContainText(`${user}@example.com`);

  await page.click('#nav-profile');
  await expect(page).toHaveURL(/\/profile$/);
  await expect(page.locator('#profile-email')).toHaveText(`${user}@example.com`);
  const identity = page.locator('.identity-row[data-provider="local"]');
  await expect(identity).toContainText('Local OpenID');
  await expect(identity.getByRole('button', { name: 'Unlink Local OpenID' })).toBeDisabled();
  await expect(page.locator('#password-state')).toHaveText('Not set');
  await expect(page.locator('#no-password')).toBeVisible();
  expect(errors).toEqual([]);
});

test('a failed provider sign-in is explained on the log-in page', async ({ page }) => {
  await page.goto('/login?sso_error=email_exists&provider=local');
  await expect(page.locator('#sso-error')).toContainText(
    'An account with your Local OpenID email already exists',
  );
  await page.goto('/login?sso_error=provider&provider=local&detail=%3Cb%3Ex%3C%2Fb%3E');
  await expect(page.locator('#sso-error')).toHaveText(
    'Local OpenID refused the sign-in. Please try again.',
  );
});

test('a password account is not taken over; its owner links, unlinks and changes the password', async ({
  page,
  browser,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const user = `kim${Date.now()}`;
  const email = `${user}@example.com`;

  await page.goto('/signup');
  await hydrated(page);
  await page.fill('#name', 'Kim');
  await page.fill('#email', email);
  await page.fill('#password', PASSWORD);
  await page.click('#submit');
  await expect(page).toHaveURL(/\/workflows$/);

  const other = await browser.newContext();
  const intruder = await other.newPage();
  await intruder.goto('/login');
  await hydrated(intruder);
  await intruder.click('#sso-local');
  await atProvider(intruder, user);
  await expect(intruder).toHaveURL(/\/login\?.*sso_error=email_exists/);
  await expect(intruder.locator('#sso-error')).toContainText(
    'An account with your Local OpenID email already exists',
  );
  await expect(intruder.locator('#user-menu')).toHaveCount(0);
  await other.close();

  await page.goto('/profile');
  await hydrated(page);
  await expect(page.locator('#password-state')).toHaveText('Set');
  await expect(page.locator('.identity-row[data-provider]')).toHaveCount(0);
  await page.click('#link-local');
  await atProvider(page, user);
  await expect(page).toHaveURL(/\/profile\?linked=local$/);
  await hydrated(page);
  await expect(page.locator('#link-notice')).toHaveText('Local OpenID is now linked to your account.');
  const identity = page.locator('.identity-row[data-provider="local"]');
  await expect(identity).toContainText(email);
  const unlink = identity.getByRole('button', { name: 'Unlink Local OpenID' });
  await expect(unlink).toBeEnabled();
  await unlink.click();
  await expect(page.locator('.identity-row[data-provider]')).toHaveCount(0);

  await page.fill('#current-password', 'not my password');
  await page.fill('#new-password', 'a brand new password');
  await page.fill('#new-password-again', 'a brand new password');
  await page.click('#change-password-submit');
  await expect(page.locator('#change-password')).toContainText('The current password is not correct.');
  await page.fill('#current-password', PASSWORD);
  await page.click('#change-password-submit');
  await expect(page.locator('#password-changed')).toBeVisible();

  await page.click('#user-menu');
  await page.click('#logout');
  await page.goto('/login');
  await hydrated(page);
  await page.fill('#email', email);
  await page.fill('#password', 'a brand new password');
  await page.click('#submit');
  await expect(page).toHaveURL(/\/workflows$/);
  await expect(page.locator('#user-menu')).toContainText('Kim');
  expect(errors).toEqual([]);
});
