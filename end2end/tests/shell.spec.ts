import { expect, test } from "@playwright/test";
import { LoginPage, Shell, watchErrors } from "../pages/app";

test("the page hydrates: the show-password control works in the browser", async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto("/login");
  const password = page.getByLabel(/^密码$/);
  await password.fill("secret-value");
  // The button is in the server-rendered HTML before the wasm loads; retry until hydrated.
  await expect(async () => {
    await page.getByRole("button", { name: /显示密码|隐藏密码/ }).click();
    await expect(password).toHaveAttribute("type", "text", { timeout: 500 });
  }).toPass();
  await page.getByRole("button", { name: "隐藏密码" }).click();
  await expect(password).toHaveAttribute("type", "password");
  await expect(password).toHaveValue("secret-value");
  expect(errors).toEqual([]);
});

test("the language switch changes the page and persists", async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto("/login");
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  const shell = new Shell(page);
  await shell.switchLanguage("English");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("heading", { name: "Sign in to Ladder" })).toBeVisible();
  await page.reload();
  await expect(page.getByRole("heading", { name: "Sign in to Ladder" })).toBeVisible();
  await new LoginPage(page).signIn("admin");
  await expect(shell.nav().getByRole("link", { name: "Users" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "System administrator" })).toBeVisible();
  await shell.switchLanguage("中文");
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await expect(shell.nav().getByRole("link", { name: "用户管理" })).toBeVisible();
  expect(errors).toEqual([]);
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 375, height: 740 } });

  test("the menu opens even before the page is hydrated", async ({ browser }) => {
    // No JavaScript at all: the server-rendered toggle is a link to the menu.
    const context = await browser.newContext({ viewport: { width: 375, height: 740 }, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto("/login");
    const tools = page.locator("#site-nav");
    await expect(tools).toBeHidden();
    await page.getByRole("button", { name: "菜单" }).click();
    await expect(page).toHaveURL(/#site-nav$/);
    await expect(tools.getByRole("button", { name: "English" })).toBeVisible();
    await context.close();
  });
});

test.describe("on a phone, hydrated", () => {
  test.use({ viewport: { width: 375, height: 740 } });

  test("no page scrolls sideways at 375 px, and the menu opens", async ({ page }) => {
    const login = new LoginPage(page);
    await login.open();
    await login.signInAndLand("admin");
    for (const path of ["/", "/admin/users", "/admin/bases", "/admin/cohorts", "/admin/courses", "/committees", "/rulesets", "/audit", "/account", "/profile", "/progress", "/records", "/verify", "/admin/overview", "/admin/imports", "/reviews", "/login"]) {
      await page.goto(path);
      await expect(page.locator("main")).toBeVisible();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `${path} overflows by ${overflow}px`).toBeLessThanOrEqual(0);
    }
    await page.goto("/");
    const toggle = page.getByRole("button", { name: "菜单" });
    await expect(toggle).toHaveAttribute("aria-expanded", "false");
    await expect(new Shell(page).nav()).toBeHidden();
    await expect(async () => {
      await toggle.click();
      await expect(toggle).toHaveAttribute("aria-expanded", "true", { timeout: 500 });
    }).toPass();
    await expect(new Shell(page).nav()).toBeVisible();
  });
});
