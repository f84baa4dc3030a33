#!/usr/bin/env python3
"""Writes a fictional import file of N rows (the template's columns, Bulgarian
headers, semicolon-separated as Bulgarian Excel saves CSV): python3 gen.py N FILE.
The same N gives the same file."""
import random
import sys

n, path = int(sys.argv[1]), sys.argv[2]
rng = random.Random(42)
given_f = ["Мария", "Елена", "Иванка", "Галина", "Петя", "Десислава", "Ana", "Ioana", "Fatima", "Olena"]
given_m = ["Иван", "Георги", "Димитър", "Стоян", "Николай", "Andrei", "Ahmed", "Mihai"]
family = ["Иванова", "Петрова", "Георгиева", "Димитрова", "Николова", "Стоянова", "Popescu", "Ionescu", "Kovalenko", "Hasan"]
countries = ["BGR", "BGR", "BGR", "ROU", "UKR", "SYR", "TUR"]
forms = ["sexual", "labour", "begging", "forced_criminal_activity", "трудова експлоатация"]
with open(path, "w", encoding="utf-8") as f:
    f.write("Номер в организацията;Собствено име;Фамилия;Дата на раждане;Пол;Гражданство;"
            "Форми на експлоатация;Държави на експлоатация;Дете;Езици\n")
    for i in range(1, n + 1):
        female = rng.random() < 0.7
        given = rng.choice(given_f if female else given_m)
        fam = rng.choice(family)
        if not female and fam.endswith(("ова", "ева")):
            fam = fam[:-1]
        birth = f"{rng.randint(1, 28):02}.{rng.randint(1, 12):02}.{rng.randint(1960, 2004)}"
        sex = "жена" if female else "мъж"
        form = rng.choice(forms)
        where = rng.choice(["DEU", "NLD", "GRC", "FRA", "BGR", "AUT"])
        f.write(f"R-{i:07};{given};{fam};{birth};{sex};{rng.choice(countries)};{form};{where};не;bg\n")
