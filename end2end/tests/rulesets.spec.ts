import { expect, test, type Page } from "@playwright/test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { LoginPage, watchErrors } from "../pages/app";

const DEFAULT = readFileSync(join(__dirname, "../../rulesets/shanghai-default.toml"), "utf8");

async function signInAs(page: Page, user: string) {
  const login = new LoginPage(page);
  await login.open();
  await login.signInAndLand(user);
}

test("the program authority checks, saves and activates a new ruleset version", async ({ page }) => {
  const errors = watchErrors(page);
  await signInAs(page, "authority");
  // The landing page counts the drafts awaiting activation and leads to them.
  const drafts = page.getByRole("link").filter({ hasText: "待启用的规则集草稿" });
  await expect(drafts).toContainText("0");
  await drafts.click();
  await expect(page).toHaveURL(/\/rulesets$/);
  await expect(page.getByRole("heading", { level: 1, name: "规则集" })).toBeVisible();
  const versions = page.locator("section").filter({ has: page.getByRole("heading", { name: "已保存的版本" }) });
  // The demo activated the shipped default (version 2).
  const shipped = versions.getByRole("listitem").filter({ hasText: "v2" });
  await expect(shipped.getByText("启用中")).toBeVisible();
  await expect(shipped.getByText("已锁定")).toBeVisible();

  // A broken file: every problem is listed, nothing is stored.
  const upload = page.locator("section").filter({ has: page.getByRole("heading", { name: "上传规则集" }) });
  await upload.getByLabel("规则集文件（TOML）").fill(DEFAULT.replace("training = 15 ", "training = 10 ").replace("lead = 1.0", "lead = 1.0\nleed = 2"));
  await upload.getByRole("button", { name: "检查" }).click();
  const problems = upload.getByRole("alert").filter({ hasText: "规则集有以下问题" });
  await expect(problems).toBeVisible();
  await expect(problems.getByText("roles.leed：unknown key")).toBeVisible();
  await expect(problems.getByText("weights：各项之和为 95，应为 100")).toBeVisible();

  // Version 3 with a heavier deal weight: checked, summarised, saved, activated.
  const v3 = DEFAULT.replace("version = 2", "version = 3")
    .replace("deals = 35 ", "deals = 40 ")
    .replace("case_quality = 20 ", "case_quality = 15 ");
  await upload.getByLabel("规则集文件（TOML）").fill(v3);
  await upload.getByRole("button", { name: "检查" }).click();
  await expect(upload.getByText("规则集有效。")).toBeVisible();
  await expect(upload.locator(".ruleset-summary")).toContainText("交易绩效 40%");
  await upload.getByRole("button", { name: "保存为草稿" }).click();
  await expect(upload.getByText("已保存为草稿版本。")).toBeVisible();
  const row3 = versions.getByRole("listitem").filter({ hasText: "v3" });
  await expect(row3.getByText("草稿")).toBeVisible();
  // Before activating: what would change for the people already scored.
  await row3.getByRole("button", { name: "预览影响" }).click();
  const impact = page.locator("section.impact");
  await expect(impact.getByRole("heading", { name: /启用后的影响/ })).toContainText("v3");
  expect(Number(await impact.locator(".score-card__value").first().textContent())).toBeGreaterThan(30);
  await impact.locator("summary").click();
  await expect(impact.locator(".ruleset-summary")).toContainText("shanghai-default v2 → shanghai-default v3");
  await row3.getByRole("button", { name: "启用" }).click();
  await expect(row3.getByText("启用中")).toBeVisible();
  await expect(versions.getByRole("listitem").filter({ hasText: "v2" }).getByText("已停用")).toBeVisible();

  // Version 3 is now frozen: the same version with other content is refused.
  await upload.getByLabel("规则集文件（TOML）").fill(v3.replace("dispute_penalty = 50", "dispute_penalty = 40"));
  await upload.getByRole("button", { name: "检查" }).click();
  await upload.getByRole("button", { name: "保存为草稿" }).click();
  await expect(upload.getByText("该版本已启用或已被引用，不能更改；请在文件中提高版本号。")).toBeVisible();
  // The refusal above is a 422 answer, which the browser logs; nothing else may fail.
  expect(errors.filter((e) => !e.includes("status of 422"))).toEqual([]);
});

test("a ruleset file can be picked instead of pasted", async ({ page }) => {
  await signInAs(page, "authority");
  await page.goto("/rulesets");
  const upload = page.locator("section").filter({ has: page.getByRole("heading", { name: "上传规则集" }) });
  await upload.getByLabel("选择文件…").setInputFiles(join(__dirname, "../../examples/rulesets/shanghai-v3-draft.toml"));
  await expect(upload.getByLabel("规则集文件（TOML）")).toHaveValue(/version = 3/);
  await upload.getByRole("button", { name: "检查" }).click();
  await expect(upload.getByText("规则集有效。")).toBeVisible();
  await expect(upload.locator(".ruleset-summary")).toContainText("第3版征求意见稿");
});

test("auditors read rulesets but cannot change them; base admins cannot open them", async ({ page }) => {
  await signInAs(page, "auditor");
  await page.goto("/rulesets");
  await expect(page.getByRole("heading", { name: "已保存的版本" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "上传规则集" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "启用" })).toHaveCount(0);
  await page.getByText("规则摘要").first().click();
  await expect(page.locator(".ruleset-summary").first()).toContainText("权重");

  await page.getByRole("button", { name: /^(退出|Sign out)$/ }).click();
  await signInAs(page, "baseadmin");
  const response = await page.goto("/rulesets");
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("heading", { level: 1, name: "无权访问" })).toBeVisible();
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 375, height: 740 } });

  test("the rulesets page does not scroll sideways", async ({ page }) => {
    await signInAs(page, "authority");
    await page.goto("/rulesets");
    await expect(page.getByRole("heading", { name: "已保存的版本" })).toBeVisible();
    await page.getByText("规则摘要").first().click();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
