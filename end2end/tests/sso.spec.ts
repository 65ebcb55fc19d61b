import { test, expect, type Page } from '@playwright/test';

// Single sign-on through a real OpenID provider (oidc-provider, started by playwright.config.ts):
// the provider's log-in form and consent page, back to the app, signed in; the profile lists the
// linked account and protects it as the only way to log in. And provider errors on the log-in page.

async function hydrated(page: Page) {
  await expect(page.locator('.app')).toHaveAttribute('data-hydrated', 'true');
}

test('a user logs in through the OpenID provider and lands signed in', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const user = `grace${Date.now()}`;

  await page.goto('/login?next=/workflows');
  await hydrated(page);
  await page.click('#sso-local');

  await expect(page).toHaveURL(/127\.0\.0\.1:\d+\/interaction\//);
  await page.fill('input[name="login"]', user);
  await page.fill('input[name="password"]', 'any password');
  await page.click('button[type="submit"]');
  await expect(page.getByRole('button', { name: 'Continue' })).toBeVisible();
  await page.getByRole('button', { name: 'Continue' }).click();

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
