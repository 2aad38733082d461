"""Write the request mix for the inspection benchmark as a wrk Lua table:
about 90% valid passports of many nationalities, 5% with a bad check digit,
5% of people on the loaded UN list (their names and dates of birth as MRZs).

usage: gen_mix.py UN_XML OUT_LUA [COUNT]"""
import random
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, __file__.rsplit("/", 3)[0] + "/tests/e2e")
from kouan_e2e import td3  # noqa: E402

un_path, out_path = sys.argv[1], sys.argv[2]
count = int(sys.argv[3]) if len(sys.argv) > 3 else 2000
rnd = random.Random(9303)

NATS = ["CHN", "GBR", "USA", "D", "FRA", "JPN", "KOR", "IND", "BRA", "RUS", "AUS", "CAN",
        "ITA", "ESP", "NLD", "SWE", "THA", "VNM", "PHL", "IDN", "MYS", "SGP", "MEX", "ZAF",
        "NGA", "EGY", "TUR", "POL", "UKR", "ARG"]
SURN = ["ZHANG", "WANG", "SMITH", "MULLER", "MARTIN", "SATO", "KIM", "PATEL", "SILVA",
        "IVANOV", "NGUYEN", "GARCIA", "ROSSI", "JANSEN", "LARSSON", "SANTOS", "OKAFOR",
        "KOWALSKI", "YILMAZ", "HASSAN", "TANAKA", "LOPEZ", "CHEN", "LI", "BROWN"]
GIVEN = ["WEI", "JOHN", "ANNA", "LUCAS", "YUKI", "MINJUN", "PRIYA", "ANA", "OLGA", "LINH",
         "MARIA", "MARCO", "EMMA", "ERIK", "JOAO", "CHIDI", "PIOTR", "AYSE", "OMAR", "HANA"]


def valid():
    nat = rnd.choice(NATS)
    dob = "%02d%02d%02d" % (rnd.randint(50, 99), rnd.randint(1, 12), rnd.randint(1, 28))
    exp = "%02d%02d%02d" % (rnd.randint(27, 35), rnd.randint(1, 12), rnd.randint(1, 28))
    num = "%s%07d" % (rnd.choice("ABCEGKMPSX"), rnd.randint(0, 9999999))
    return td3(rnd.choice(SURN), rnd.choice(GIVEN) + " " + rnd.choice(GIVEN), num, nat, dob,
               rnd.choice("MF"), exp)


def bad_digit():
    m = valid()
    l1, l2 = m.split("|")
    d = l2[9]
    l2 = l2[:9] + str((int(d) + 1) % 10) + l2[10:]
    return l1 + "|" + l2


def listed_people():
    people = []
    root = ET.parse(un_path).getroot()
    for ind in root.iter("INDIVIDUAL"):
        first = (ind.findtext("FIRST_NAME") or "").strip()
        second = (ind.findtext("SECOND_NAME") or "").strip()
        year = None
        for d in ind.iter("INDIVIDUAL_DATE_OF_BIRTH"):
            t = d.findtext("DATE") or d.findtext("YEAR")
            if t and len(t) >= 4 and t[:4].isdigit():
                year = t
                break
        if not first or not second or not year:
            continue
        clean = lambda s: "".join(ch for ch in s.upper() if "A" <= ch <= "Z" or ch == " ")
        if not clean(first).strip() or not clean(second).strip():
            continue
        mm, dd = ("01", "01")
        if len(year) >= 10:
            mm, dd = year[5:7], year[8:10]
        dob = year[2:4] + mm + dd
        people.append((clean(second).strip(), clean(first).strip(), dob))
    return people


people = listed_people()
bodies = []
for i in range(count):
    r = rnd.random()
    if r < 0.05 and people:
        sur, giv, dob = rnd.choice(people)
        num = "U%08d" % rnd.randint(0, 99999999)
        mrz = td3(sur[:30], giv[:30], num, "XXA", dob, "M", "300101")
    elif r < 0.10:
        mrz = bad_digit()
    else:
        mrz = valid()
    port = rnd.choice(["PEK", "PVG", "CAN", "SZX", "LHR"])
    direction = "entry" if rnd.random() < 0.6 else "exit"
    bodies.append('{"mrz":"%s","port":"%s","direction":"%s"}' % (mrz, port, direction))

with open(out_path, "w") as f:
    f.write("bodies = {\n")
    for b in bodies:
        f.write("  [[%s]],\n" % b)
    f.write("}\n")
print("%d bodies (%d listed people available)" % (len(bodies), len(people)))
