#!/usr/bin/env python3
"""A roster of N valid, distinct trainees as a training base's CSV (a title row, then the
shared sample's 14 columns), for the load and fault tests. Fixed seed: the same file every run.

Usage: gen_roster.py N COHORT_CODE > roster.csv
"""
import csv
import datetime
import random
import sys

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙"
GIVEN = "伟芳娜敏静强磊洋艳勇杰娟"


def id_number(region: str, born: datetime.date, seq: int) -> str:
    body = f"{region}{born:%Y%m%d}{seq:03d}"
    return body + CHECK[sum(int(c) * w for c, w in zip(body, WEIGHTS)) % 11]


def main() -> None:
    n, cohort = int(sys.argv[1]), sys.argv[2]
    rng = random.Random(20261127)
    out = csv.writer(sys.stdout)
    out.writerow([f"{cohort} 学员名单"])
    out.writerow(["序号", "姓名", "性别", "身份证号码", "工作单位", "职务", "手机号码", "电子邮箱",
                  "学历", "培训班次", "理论学时", "实训学时", "考核成绩", "备注"])
    first = datetime.date(1965, 1, 1)
    for i in range(n):
        born = first + datetime.timedelta(days=i // 900)
        seq = i % 900 + 1
        out.writerow([
            i + 1,
            rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
            "男" if seq % 2 else "女",
            id_number("310104", born, seq),
            "上海理工大学技术转移中心",
            "科员",
            f"137{i:08d}",
            f"load{i}@example.cn",
            "大学本科",
            cohort,
            32,
            16,
            rng.randint(60, 98),
            "",
        ])


if __name__ == "__main__":
    main()
