import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium, headless, with nothing that would call out of this machine. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH;
  if (!executablePath) throw new Error('CHROMIUM_PATH is not set: run the suite with ./dev test');
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  // a busy machine renders slowly: every wait of every page is generous (a bound, never a timing)
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    context.setDefaultTimeout(90_000);
    context.setDefaultNavigationTimeout(90_000);
    return context;
  };
  return browser;
}

/** Logs in through the login page as a fresh session and lands on the inbox. */
export async function logIn(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.context().clearCookies();
  await page.goto(`${baseUrl}/login`);
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', password);
  await Promise.all([page.waitForURL(`${baseUrl}/tasks`), page.click('form[action="/login"] button[type=submit]')]);
}
