import { expect, test } from "@playwright/test";
import { LoginPage } from "../pages/app";

test("a base admin sees a cohort's trainees with their gaps and exports the list", async ({ page }) => {
  const login = new LoginPage(page);
  await login.open();
  await login.signInAndLand("baseadmin");
  await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "基地概况" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "基地概况" })).toBeVisible();
  await page.getByLabel("培训班次").selectOption("2026-SH-JR-01");
  await page.getByLabel("排序").selectOption("score");
  await page.getByRole("button", { name: "筛选" }).click();
  await expect(page).toHaveURL(/cohort=2026-SH-JR-01/);
  const first = page.getByRole("row").nth(1);
  await expect(first).toContainText("张伟");
  await first.locator("summary").click();
  await expect(first.locator(".gap-details li").first()).toBeVisible();
  // IDs are masked in the list.
  await expect(page.locator("td.mono").first()).toContainText("********");

  for (const [link, type] of [["导出 Excel", "spreadsheetml"], ["导出 CSV", "text/csv"]]) {
    const href = await page.getByRole("link", { name: link }).getAttribute("href");
    const res = await page.request.get(href!);
    expect(res.status()).toBe(200);
    expect(res.headers()["content-type"]).toContain(type);
  }
});
