// Page objects: tests talk to the app through roles and labels, as a person would.
import { expect, type Page } from "@playwright/test";

export const DEMO_PASSWORD = "ladder-demo";

/** Collects uncaught errors and console errors, so a test can assert the page ran cleanly. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console: ${m.text()}`);
  });
  // E2E_DEBUG=1 prints the page's console, failed requests and the ballot's requests.
  if (process.env.E2E_DEBUG) {
    page.on("console", (m) => console.log(`[console ${m.type()}] ${m.text()}`));
    page.on("requestfailed", (r) => console.log(`[requestfailed] ${r.url()} ${r.failure()?.errorText}`));
    page.on("request", (r) => { if (r.url().includes("ballot") || r.url().includes("cast_vote")) console.log(`[request] ${r.method()} ${r.url()}`); });
  }
  return errors;
}

export class LoginPage {
  constructor(readonly page: Page) {}

  async open(next?: string) {
    await this.page.goto(next ? `/login?next=${next}` : "/login");
    await expect(this.page.getByRole("heading", { level: 1 })).toBeVisible();
  }

  async signIn(username: string, password = DEMO_PASSWORD) {
    await this.page.getByLabel(/用户名或电子邮箱|Username or e-mail/).fill(username);
    await this.page.getByLabel(/^(密码|Password)$/).fill(password);
    await this.page.getByRole("button", { name: /^(登录|Sign in)$/ }).click();
  }

  /** Signs in and waits until the landing page (or `next`) is shown. */
  async signInAndLand(username: string, landing: RegExp = /\/$/) {
    await this.signIn(username);
    await expect(this.page).toHaveURL(landing);
    await expect(this.page.getByRole("heading", { level: 1 })).toBeVisible();
  }
}

export class Shell {
  constructor(readonly page: Page) {}

  nav() {
    return this.page.getByRole("navigation", { name: /主导航|Main navigation/ });
  }

  async navLabels(): Promise<string[]> {
    return (await this.nav().getByRole("link").allTextContents()).map((s) => s.trim());
  }

  async signOut() {
    await this.page.getByRole("button", { name: /^(退出|Sign out)$/ }).click();
    await expect(this.page).toHaveURL(/\/login$/);
  }

  async switchLanguage(to: "English" | "中文") {
    await this.page.getByRole("button", { name: to, exact: true }).click();
  }
}
