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
  await expect(page.getByRole("heading", { level: 1, name: "数据导入" })).toBeVisible();
  await page.getByLabel("文件", { exact: true }).setInputFiles({ name: "第三期名单.csv", mimeType: "text/csv", buffer: Buffer.from(roster) });
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
  await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "数据导入" }).click();
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
  await page.getByRole("link", { name: "← 返回数据导入" }).click();
  await expect(page.getByRole("row").filter({ hasText: "第三期名单.csv" })).toHaveCount(2);
  expect(errors).toEqual([]);
});

test("a roster of a cohort not made yet: the base admin makes it from the preview, which plans again", async ({ page }) => {
  const errors = watchErrors(page);
  const login = new LoginPage(page);
  await login.open();
  await login.signInAndLand("baseadmin");
  await page.goto("/admin/imports");
  const newCohort = roster.replaceAll("2024-SH-JR-03", "2027-SH-JR-09");
  await page.getByLabel("文件", { exact: true }).setInputFiles({ name: "下一期名单.csv", mimeType: "text/csv", buffer: Buffer.from(newCohort) });
  await page.getByRole("button", { name: "上传并预览" }).click();
  await expect(page).toHaveURL(/\/admin\/imports\/\d+$/);
  // The five good rows wait for their cohort: errors too, with the ten of the file's own.
  await expect(card(page, "错误")).toHaveText("15");
  // Both cohorts the roster lacks are named, with their rows; the admin makes the new one.
  const missing = page.locator("section").filter({ has: page.getByRole("heading", { name: "名册中的班次尚未建立" }) });
  await expect(missing.getByRole("listitem").filter({ hasText: "2027-SH-JR-09" })).toBeVisible();
  await expect(missing.getByRole("listitem").filter({ hasText: "2024-XX-99" })).toContainText("1 行");
  await missing.getByLabel("班次代码").selectOption("2027-SH-JR-09");
  await missing.getByLabel("班次名称").fill("2027年初级第九期");
  await missing.getByLabel("级别").selectOption("junior");
  await missing.getByLabel("开班日期").fill("2027-03-01");
  await missing.getByLabel("结业日期").fill("2027-02-01");
  await missing.getByRole("button", { name: "建立班次并重新核对" }).click();
  // The end before the start: refused beside the field, nothing made.
  await expect(missing.getByText("结业日期不能早于开班日期")).toBeVisible();
  await missing.getByLabel("结业日期").fill("2027-06-30");
  await missing.getByRole("button", { name: "建立班次并重新核对" }).click();
  // Planned again: the good rows go in, only the misspelt cohort is still missing.
  await expect(card(page, "错误")).toHaveText("10");
  await expect(missing.getByRole("listitem")).toHaveCount(1);
  await expect(missing.getByRole("listitem")).toContainText("2024-XX-99");
  await page.getByLabel(/只导入无误的行/).check();
  await page.getByRole("button", { name: "导入", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "已导入" })).toBeVisible();
  await expect(page.locator(".import-meta .badge")).toHaveText("已导入");
  // The refused dates above are a 422 answer, which the browser logs; nothing else may fail.
  expect(errors.filter((e) => !e.includes("status of 422"))).toEqual([]);
});

test("an unreadable file gets a sentence, in English too", async ({ page }) => {
  const login = new LoginPage(page);
  await login.open();
  await login.signInAndLand("baseadmin");
  await page.goto("/admin/imports");
  await page.getByLabel("文件", { exact: true }).setInputFiles({ name: "notes.xlsx", mimeType: "application/octet-stream", buffer: Buffer.from("just some notes") });
  await page.getByRole("button", { name: "上传并预览" }).click();
  await expect(page).toHaveURL(/\/admin\/imports\/\d+$/);
  await expect(page.getByRole("alert")).toContainText("不是电子表格");
  await new Shell(page).switchLanguage("English");
  await expect(page.getByRole("alert")).toContainText("not a spreadsheet");
});

// A valid 18-character ID number from its first 17 digits (GB 11643 check character).
function withCheck(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((acc, d, i) => acc + Number(d) * weights[i], 0);
  return first17 + "10X98765432"[sum % 11];
}

test("a base admin imports a cohort's attendance as verified training, once", async ({ page }) => {
  const errors = watchErrors(page);
  const login = new LoginPage(page);
  await login.open();
  await login.signInAndLand("baseadmin");
  // Two people of their own on the intermediate cohort's roster first.
  const a = withCheck("31010419860512031"); // 17th digit odd: male
  const b = withCheck("31011519900203042"); // even: female
  const cohort = "2025-SH-IM-02";
  const roster = `序号,姓名,性别,身份证号,手机,培训班次\n1,顾晓东,男,${a},13800000001,${cohort}\n2,沈佳怡,女,${b},13800000002,${cohort}\n`;
  await page.goto("/admin/imports");
  await page.getByLabel("文件", { exact: true }).setInputFiles({ name: "考勤前名单.csv", mimeType: "text/csv", buffer: Buffer.from(roster) });
  await page.getByRole("button", { name: "上传并预览" }).click();
  await expect(page).toHaveURL(/\/admin\/imports\/\d+$/);
  await expect(card(page, "新增")).toHaveText("2");
  await page.getByRole("button", { name: "导入", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "已导入：新增 2 人" })).toBeVisible();

  // Their attendance: a catalog course, an absence, a course the base does not offer.
  const sheet = `姓名,身份证号,课程编号,上课日期,出勤\n顾晓东,${a},JR-PK-01,2025-10-20,√\n沈佳怡,${b},JR-PK-01,2025-10-20,请假\n顾晓东,${a},XX-99,2025-10-21,√\n`;
  const uploadAttendance = async () => {
    await page.goto("/admin/imports");
    await page.getByLabel("导入内容").selectOption("attendance");
    await expect(page.getByText("考勤表每行一人一门课")).toBeVisible();
    await page.getByLabel("导入到班次").selectOption(cohort);
    await page.getByLabel("文件", { exact: true }).setInputFiles({ name: "考勤.csv", mimeType: "text/csv", buffer: Buffer.from(sheet) });
    await page.getByRole("button", { name: "上传并预览" }).click();
    await expect(page).toHaveURL(/\/admin\/imports\/\d+$/);
    await expect(page.locator(".import-meta")).toContainText("考勤与学时");
  };
  await uploadAttendance();
  await expect(card(page, "新增")).toHaveText("1");
  await expect(card(page, "错误")).toHaveText("1");
  await expect(card(page, "跳过")).toHaveText("1");
  await expect(card(page, "更新")).toHaveCount(0);
  await page.getByRole("link", { name: /^仅错误/ }).click();
  await expect(page.getByRole("row").filter({ hasText: "不在本基地的课程体系中" })).toContainText("C4");
  await page.getByLabel(/只导入无误的行/).check();
  await page.getByRole("button", { name: "导入", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "新增 1 条经基地核验的培训记录" })).toBeVisible();

  // The same sheet again records nothing new.
  await uploadAttendance();
  await expect(card(page, "新增")).toHaveText("0");
  await expect(card(page, "无变化")).toHaveText("1");
  await page.getByRole("link", { name: "← 返回数据导入" }).click();
  await expect(page.getByRole("row").filter({ hasText: "考勤.csv" }).first()).toContainText("考勤与学时");
  expect(errors).toEqual([]);
});

test("a roster that differs from a person with an account asks them, then a system admin, to correct it", async ({ browser }) => {
  // The demo trainee 张伟 has an account (demo.rs: the 210th demo person, born 1983-06-14):
  // the base's roster may not change his identity, only ask.
  const zhang = withCheck("31010419830614309");
  const roster = `序号,姓名,性别,身份证号,工作单位,手机,培训班次\n1,张伟,男,${zhang},某某科技有限公司,13800000000,2024-SH-JR-03\n`;
  const as = async (user: string) => {
    const page = await (await browser.newContext()).newPage();
    const errors = watchErrors(page);
    const login = new LoginPage(page);
    await login.open();
    await login.signInAndLand(user);
    return { page, errors };
  };
  const clerk = await as("baseadmin");
  const ask = async (to: "本人" | "系统管理员", note: string) => {
    await clerk.page.goto("/admin/imports");
    await clerk.page.getByLabel("文件", { exact: true }).setInputFiles({ name: "更正名单.csv", mimeType: "text/csv", buffer: Buffer.from(roster) });
    await clerk.page.getByRole("button", { name: "上传并预览" }).click();
    await expect(clerk.page).toHaveURL(/\/admin\/imports\/\d+$/);
    const row = clerk.page.getByRole("row").filter({ hasText: "张伟" });
    await expect(row).toContainText("身份信息保持不变");
    await expect(row).toContainText("138****0000");
    await expect(row).not.toContainText("13800000000");
    await row.getByLabel("发给").selectOption({ label: to });
    await row.getByLabel("说明").fill(note);
    await row.getByRole("button", { name: "发送更正请求" }).click();
    await expect(row.getByRole("status")).toHaveText("已发送更正请求。");
  };

  // To the person: his home asks him to check; he answers that nothing needs correcting.
  await ask("本人", "学员称手机号已更换");
  const zhangPage = await as("trainee");
  await zhangPage.page.getByRole("link", { name: /请核对您的身份信息/ }).click();
  await expect(zhangPage.page).toHaveURL(/\/profile#corrections$/);
  const request = zhangPage.page.locator("#corrections .correction").first();
  await expect(request).toContainText("学员称手机号已更换");
  await expect(request.getByRole("row").filter({ hasText: "手机" })).toContainText("138****0000");
  await request.getByPlaceholder("无需更正的理由").fill("手机号没有更换，名单有误。");
  await request.getByRole("button", { name: "无需更正" }).click();
  await expect(request.locator(".badge")).toHaveText("无需更正");

  // To a system admin: the open request, answered by correcting the e-mail on record.
  await ask("系统管理员", "单位已变更，请核实");
  const admin = await as("admin");
  await admin.page.goto("/admin/users");
  const open = admin.page.locator("#corrections .correction").filter({ hasText: "单位已变更，请核实" });
  await expect(open.locator(".correction__who")).toContainText("张伟 310104********3099");
  await open.getByText("更正身份信息").click();
  await open.getByLabel("电子邮箱").fill("zhang.wei@example.cn");
  await open.getByLabel("更正理由").fill("本人来电确认");
  await open.getByRole("button", { name: "保存" }).click();
  await expect(open.locator(".badge")).toHaveText("已更正");
  await zhangPage.page.goto("/profile");
  await expect(zhangPage.page.getByLabel("电子邮箱")).toHaveValue("zhang.wei@example.cn");

  expect(clerk.errors).toEqual([]);
  expect(zhangPage.errors).toEqual([]);
  expect(admin.errors).toEqual([]);
});
