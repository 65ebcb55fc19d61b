import { expect, type Page } from '@playwright/test';

// Shared steps of the end-to-end journeys: waiting for hydration, and a fresh signed-in user
// with an empty workflow, made through the API (the journeys that test sign-up do it in the UI).

export const PASSWORD = 'correct horse battery';

/** Waits until the page is hydrated (its handlers exist). */
export async function hydrated(page: Page) {
  await expect(page.locator('.app')).toHaveAttribute('data-hydrated', 'true');
}

/**
 * Signs a new user up (email `<prefix>-…@example.com`, display name `person`) in the page's
 * browser context. The page stays where it is.
 */
export async function newUser(page: Page, prefix: string, person = 'Ada') {
  const email = `${prefix}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
  const signed = await page.request.post('/api/auth/register', {
    data: { email, name: person, password: PASSWORD },
  });
  expect(signed.ok(), await signed.text()).toBeTruthy();
}

/**
 * Signs a new user up as {@link newUser} does, creates a workflow called `name` and returns its id.
 */
export async function newUserWithWorkflow(
  page: Page,
  prefix: string,
  name: string,
  person = 'Ada',
): Promise<string> {
  await newUser(page, prefix, person);
  const created = await page.request.post('/api/workflows/create', { data: { name } });
  expect(created.ok(), await created.text()).toBeTruthy();
  const { id } = await created.json();
  expect(id).toBeTruthy();
  return id;
}
