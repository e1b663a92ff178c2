import { expect, test } from "@playwright/test";
import { LoginPage, Shell, watchErrors } from "../pages/app";

// The trainee's dashboard: the score with its ledger, and a what-if panel that recomputes in
// the browser (no page load) as hypothetical records are added.
test("the what-if panel projects the score in the browser", async ({ page }) => {
  const errors = watchErrors(page);
  const login = new LoginPage(page);
  await login.open();
  await login.signInAndLand("trainee");
  await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "我的进展" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "我的进展" })).toBeVisible();
  const total = (await page.locator(".score-card--total .score-card__value").textContent())!.trim();
  const panel = page.locator(".whatif");
  const projected = panel.locator(".whatif__score strong");
  await expect(projected).toHaveText(total);
  // Hydrated, and no page load from here on: the marker must survive.
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 1));

  await panel.getByLabel("类别").first().selectOption("deal");
  await panel.getByLabel("核定技术交易额（万元）").fill("1000");
  await panel.getByRole("button", { name: "加入假设" }).click();
  await expect(panel.locator(".whatif__items li")).toHaveCount(1);
  await expect(projected).not.toHaveText(total);
  expect(Number(await projected.textContent())).toBeGreaterThan(Number(total));
  await expect(panel.locator(".whatif__score")).toContainText("(+");

  await panel.getByLabel("类别").first().selectOption("training");
  await panel.getByLabel("模块").selectOption("practice_skills");
  await panel.getByLabel("学时", { exact: true }).fill("8");
  await panel.getByRole("button", { name: "加入假设" }).click();
  await expect(panel.locator(".whatif__items li")).toHaveCount(2);
  await expect(panel.locator(".whatif__result")).not.toContainText("实务技能还需");
  // A bad amount is refused next to the form, and nothing is added.
  await panel.getByLabel("学时", { exact: true }).fill("abc");
  await panel.getByRole("button", { name: "加入假设" }).click();
  await expect(panel.getByRole("alert")).toContainText("请输入大于 0 的学时或金额");
  await expect(panel.locator(".whatif__items li")).toHaveCount(2);
  // Removing the deal brings the projection back down.
  await panel.locator(".whatif__items li").first().getByRole("button", { name: "删除" }).click();
  await expect(panel.locator(".whatif__items li")).toHaveCount(1);
  // Enough hypothetical achievement reaches the next level: the projected level changes.
  await expect(panel.locator(".whatif__level")).toHaveText("学员（未定级）");
  const add = async (kind: string, fill: () => Promise<void>) => {
    await panel.getByLabel("类别").first().selectOption(kind);
    await fill();
    await panel.getByRole("button", { name: "加入假设" }).click();
  };
  for (let i = 0; i < 2; i++) {
    await add("deal", () => panel.getByLabel("核定技术交易额（万元）").fill("1000"));
    await add("outcome", () => panel.getByLabel("成效类别").selectOption("company_formed"));
  }
  await add("contribution", () => panel.getByLabel("贡献类别").selectOption("award"));
  await add("contribution", () => panel.getByLabel("贡献类别").selectOption("report_adopted"));
  await add("training", async () => {
    await panel.getByLabel("模块").selectOption("practice_skills");
    await panel.getByLabel("学时", { exact: true }).fill("8");
  });
  await expect(panel.locator(".whatif__level")).toHaveText("初级技术经纪人");
  expect(await page.evaluate(() => (window as unknown as { marker: number }).marker)).toBe(1);

  // The page reads in English too, and fits a phone.
  await new Shell(page).switchLanguage("English");
  await expect(page.getByRole("heading", { level: 1, name: "My progress" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "What if" })).toBeVisible();
  await expect(page.locator("details.ledger").first()).toContainText("class hours");
  await new Shell(page).switchLanguage("中文");
  await expect(page.getByRole("heading", { level: 1, name: "我的进展" })).toBeVisible();
  await page.setViewportSize({ width: 375, height: 800 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  expect(errors).toEqual([]);
});
