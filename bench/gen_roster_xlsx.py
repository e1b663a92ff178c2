#!/usr/bin/env python3
"""A 100,000-row roster .xlsx as training bases send them: a title row, the shared sample's 14
columns, phones stored as numbers, ID numbers typed as text with spaces, e-mail addresses.
Fixed seed: the same file every run. For bench/import-command.sh (issue 21, item 18).

Usage: gen_roster_xlsx.py ROWS COHORT_CODE OUT.xlsx   (needs XlsxWriter)
"""
import datetime
import random
import sys

import xlsxwriter

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙"
GIVEN = "伟芳娜敏静强磊洋艳勇杰娟"
UNITS = ["上海理工大学技术转移中心", "同济大学技术转移中心", "华东理工大学科技处",
         "国家技术转移东部中心", "中科院上海硅酸盐研究所", "上海交通大学先进产业技术研究院"]
REGIONS = ["310101", "310104", "310105", "320102", "330106", "440305"]


def id_number(region: str, born: datetime.date, seq: int) -> str:
    body = f"{region}{born:%Y%m%d}{seq:03d}"
    return body + CHECK[sum(int(c) * w for c, w in zip(body, WEIGHTS)) % 11]


def main() -> None:
    rows, cohort, out = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    rng = random.Random(20261208)
    book = xlsxwriter.Workbook(out, {"constant_memory": True})
    ws = book.add_worksheet("学员名单")
    ws.write_string(0, 0, f"{cohort} 学员名单")
    header = ["序号", "姓名", "性别", "身份证号码", "工作单位", "职务", "手机号码", "电子邮箱",
              "学历", "培训班次", "理论学时", "实训学时", "考核成绩", "备注"]
    for c, h in enumerate(header):
        ws.write_string(1, c, h)
    first = datetime.date(1960, 1, 1)
    for i in range(rows):
        r = i + 2
        born = first + datetime.timedelta(days=i // 600)
        seq = (i // 6) % 100 * 10 + rng.randrange(10)
        number = id_number(REGIONS[i % 6], born, seq)
        male = int(number[16]) % 2 == 1
        ws.write_number(r, 0, i + 1)
        ws.write_string(r, 1, rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN))
        ws.write_string(r, 2, "男" if male else "女")
        # As a clerk types it: region, birth date and sequence apart.
        ws.write_string(r, 3, f"{number[:6]} {number[6:14]} {number[14:]}")
        ws.write_string(r, 4, rng.choice(UNITS))
        ws.write_string(r, 5, "科员")
        ws.write_number(r, 6, 13_000_000_000 + i)
        ws.write_string(r, 7, f"user{i}@example.cn")
        ws.write_string(r, 8, "大学本科")
        ws.write_string(r, 9, cohort)
        ws.write_number(r, 10, 24 + 8 * rng.randrange(3))
        ws.write_number(r, 11, 8 * rng.randrange(4))
        ws.write_number(r, 12, 60 + rng.randrange(40))
    book.close()


if __name__ == "__main__":
    main()
