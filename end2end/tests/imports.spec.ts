import { expect, test } from "@playwright/test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { LoginPage, Shell, watchErrors } from "../pages/app";

// The integration tests' quirky roster (title row, line breaks in headers, IDs with a
// lower-case x, full-width digits and spaces, an ID Excel turned into a number, a wrong check
// digit, a gender that contradicts the ID, a duplicate, blank and totals rows...), moved into
// the demo's empty cohort.
const roster = readFileSync(join(__dirname, "../../tests/fixtures/roster-quirks.csv"), "utf8").replaceAll(
  "2024-T-JR-03",
  "2024-SH-JR-03",
);

async function upload(page: import("@playwright/test").Page) {
  await page.goto("/admin/imports");
  await expect(page.getByRole("heading", { level: 1, name: "名单导入" })).toBeVisible();
  await page.getByLabel("名单文件").setInputFiles({ name: "第三期名单.csv", mimeType: "text/csv", buffer: Buffer.from(roster) });
  await page.getByRole("button", { name: "上传并预览" }).click();
  await expect(page).toHaveURL(/\/admin\/imports\/\d+$/);
  await expect(page.getByRole("heading", { level: 2, name: "第三期名单.csv" })).toBeVisible();
}

function card(page: import("@playwright/test").Page, label: string) {
  return page.locator(".score-card").filter({ has: page.locator(".score-card__label", { hasText: new RegExp(`^${label}$`) }) }).locator(".score-card__value");
}

test("a base admin previews a roster with errors, imports the valid rows, and a re-import changes nothing", async ({ page }) => {
  const errors = watchErrors(page);
  const login = new LoginPage(page);
  await login.open();
  await login.signInAndLand("baseadmin");
  await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "名单导入" }).click();
  await upload(page);
  await expect(card(page, "新增")).toHaveText("5");
  await expect(card(page, "错误")).toHaveText("10");
  await expect(card(page, "跳过")).toHaveText("2");

  // The errors, each with its cell and reason.
  await page.getByRole("link", { name: /^仅错误/ }).click();
  await expect(page).toHaveURL(/show=errors/);
  const checksum = page.getByRole("row").filter({ hasText: "校验位" });
  await expect(checksum).toContainText("D10");
  await expect(page.getByRole("row").filter({ hasText: "第 15 位以后的数字已经丢失" })).toContainText("D9");

  // The error workbook.
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "下载错误表（Excel）" }).click();
  expect((await download).suggestedFilename()).toMatch(/\.xlsx$/);

  // All or nothing by default.
  await page.getByRole("button", { name: "导入", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "未导入任何内容" })).toBeVisible();

  // The valid rows only.
  await page.getByLabel(/只导入无误的行/).check();
  await page.getByRole("button", { name: "导入", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "已导入：新增 5 人" })).toBeVisible();
  await expect(page.locator(".import-meta .badge")).toHaveText("已导入");

  // The same file again: nothing new, nothing updated.
  await upload(page);
  await expect(card(page, "新增")).toHaveText("0");
  await expect(card(page, "更新")).toHaveText("0");
  await expect(card(page, "无变化")).toHaveText("5");
  await page.getByLabel(/只导入无误的行/).check();
  await page.getByRole("button", { name: "导入", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "新增 0 人，更新 0 人，无变化 5 人" })).toBeVisible();

  // Both in the history.
  await page.getByRole("link", { name: "← 返回名单导入" }).click();
  await expect(page.getByRole("row").filter({ hasText: "第三期名单.csv" })).toHaveCount(2);
  expect(errors).toEqual([]);
});

test("an unreadable file gets a sentence, in English too", async ({ page }) => {
  const login = new LoginPage(page);
  await login.open();
  await login.signInAndLand("baseadmin");
  await page.goto("/admin/imports");
  await page.getByLabel("名单文件").setInputFiles({ name: "notes.xlsx", mimeType: "application/octet-stream", buffer: Buffer.from("just some notes") });
  await page.getByRole("button", { name: "上传并预览" }).click();
  await expect(page).toHaveURL(/\/admin\/imports\/\d+$/);
  await expect(page.getByRole("alert")).toContainText("不是电子表格");
  await new Shell(page).switchLanguage("English");
  await expect(page.getByRole("alert")).toContainText("not a spreadsheet");
});
