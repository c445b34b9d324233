"""The demo study: the seed study of SUMMARY.md with fictional people, loaded by
`python manage.py load_demo_study` (and so by `make run`).

Titles, domains, scale wording and dates are those of the Thai paper
(delphi_study_paper_th.txt); every person, e-mail address, phone number and LINE id is
invented. E-mail addresses use the reserved domain example.org so that nobody is ever
mailed by accident.

Loading is additive: each piece is looked up by its natural key (panel by code prefix,
expert by code, domain and question by their order, round by number) and created only when
missing, so running it again neither duplicates anything nor undoes a researcher's edits.
Later features add their own pieces the same way: round 1's invitations and returned
questionnaires come from `demo.answers`; its content analysis (statements and their sources)
and rounds 2 and 3, answered, closed and frozen, from `demo.ratings`; round 4 from
`demo.confirmation`.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple
from zoneinfo import ZoneInfo

from axes.utils import reset as axes_reset
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from panels.models import Expert, Panel, Study
from panels.services import audit
from rounds.models import Domain, OpenQuestion, Round

from .answers import round_one_answers_load
from .confirmation import confirmation_round_load
from .ratings import rating_rounds_load, round_one_coding_load

DEMO_USERNAME = "demo"
# Published on purpose (README, `make run`): the demo account exists to be signed into.
DEMO_PASSWORD = "demo-delphi-2562"  # noqa: S105
DEMO_FIRST_NAME = "นักวิจัย"
DEMO_LAST_NAME = "ตัวอย่าง"
DEMO_EMAIL = "demo@example.org"
DEMO_URL = "http://127.0.0.1:8000/"

TITLE = (
    "แบบจำลองเครือข่ายความร่วมมือเพื่อยกระดับคุณภาพการศึกษา สถานศึกษาขั้นพื้นฐาน "
    "สังกัดสำนักงานเขตพื้นที่การศึกษาประถมศึกษาบุรีรัมย์ เขต 4"
)
TITLE_EN = (
    "A cooperation-network model to raise the education quality of basic schools under "
    "the Buriram Primary Educational Service Area Office 4"
)
DESCRIPTION = (
    "การศึกษาตัวอย่างสำหรับทดลองใช้ระบบ จำลองจากงานวิจัยด้วยเทคนิคเดลฟาย 3 รอบ "
    "ชื่อ ที่อยู่อีเมล หมายเลขโทรศัพท์ และไอดีไลน์ของผู้เชี่ยวชาญทุกท่านเป็นข้อมูลสมมุติ\n"
    "\n"
    "วัตถุประสงค์ของการวิจัย\n"
    "1) เพื่อศึกษาองค์ประกอบเครือข่ายความร่วมมือเพื่อยกระดับคุณภาพการศึกษาสถานศึกษาขั้นพื้นฐาน "
    "สังกัดสำนักงานเขตพื้นที่การศึกษาประถมศึกษาบุรีรัมย์ เขต 4\n"
    "2) เพื่อสร้างแบบจำลองเครือข่ายความร่วมมือเพื่อยกระดับคุณภาพการศึกษาสถานศึกษาขั้นพื้นฐาน\n"
    "3) เพื่อยืนยันแบบจำลองเครือข่ายความร่วมมือเพื่อยกระดับคุณภาพการศึกษาของสถานศึกษาขั้นพื้นฐาน"
)
# The paper's 5-point likelihood scale (Likert), from 1 to 5.
SCALE_LABELS = [
    "แนวโน้มที่เป็นไปได้น้อยที่สุด",
    "แนวโน้มที่เป็นไปได้น้อย",
    "แนวโน้มที่เป็นไปได้ปานกลาง",
    "แนวโน้มที่เป็นไปได้มาก",
    "แนวโน้มที่เป็นไปได้มากที่สุด",
]

ESA_OFFICE = "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาบุรีรัมย์ เขต 4"


class DemoPerson(NamedTuple):
    name: str
    position: str
    organisation: str
    qualification: str
    line_id: str = ""


class DemoPanel(NamedTuple):
    code_prefix: str
    name: str
    purpose: str
    phone_prefix: str
    people: tuple[DemoPerson, ...]


SPECIALISTS = (
    DemoPerson(
        "ดร.สมศักดิ์ ศรีวงศ์ไพบูลย์",
        "ผู้อำนวยการโรงเรียน",
        "โรงเรียนบ้านหนองตะเคียนงาม",
        "ผู้บริหารสถานศึกษา 15 ปี; ปริญญาเอก สาขาการบริหารการศึกษา",
        "demo_e01",
    ),
    DemoPerson(
        "นางวิไลวรรณ ใจดีงามเลิศ",
        "ผู้อำนวยการโรงเรียน",
        "โรงเรียนบ้านโคกสำราญวิทย์",
        "ผู้บริหารสถานศึกษา 12 ปี; ประธานเครือข่ายพัฒนาคุณภาพการศึกษาระดับอำเภอ",
    ),
    DemoPerson(
        "นายประเสริฐ บุญประคองศรี",
        "ผู้อำนวยการโรงเรียน",
        "โรงเรียนบ้านหนองบัวทองพัฒนา",
        "ผู้บริหารสถานศึกษา 18 ปี; โรงเรียนได้รับรางวัลโรงเรียนพระราชทาน",
        "demo_e03",
    ),
    DemoPerson(
        "นางสาวกาญจนา พิมพ์ทองคำดี",
        "ผู้อำนวยการโรงเรียน",
        "โรงเรียนบ้านตะแบกงามวิทยา",
        "ผู้บริหารสถานศึกษา 10 ปี; ปริญญาโท สาขาการบริหารการศึกษา",
    ),
    DemoPerson(
        "ดร.ธีรวัฒน์ แสงประทีปทอง",
        "ผู้อำนวยการโรงเรียน",
        "โรงเรียนบ้านโนนสูงสามัคคี",
        "ผู้บริหารสถานศึกษา 14 ปี; วิทยานิพนธ์ด้านการบริหารแบบมีส่วนร่วม",
    ),
    DemoPerson(
        "นายสุริยา คงสมบูรณ์ศักดิ์",
        "ผู้อำนวยการโรงเรียน",
        "โรงเรียนบ้านหัวฝายพัฒนศึกษา",
        "ผู้บริหารสถานศึกษาขนาดเล็ก 9 ปี; ผู้ประสานงานกลุ่มโรงเรียน",
        "demo_e06",
    ),
    DemoPerson(
        "นางพรทิพย์ ชัยมงคลสิริ",
        "ผู้อำนวยการโรงเรียน",
        "โรงเรียนบ้านสระแก้วประชาสรรค์",
        "ผู้บริหารสถานศึกษา 16 ปี; ต้นแบบการประกันคุณภาพภายในสถานศึกษา",
    ),
    DemoPerson(
        "นายอนุชา ทองสุขเจริญผล",
        "รองผู้อำนวยการโรงเรียน",
        "โรงเรียนบ้านกระสังพัฒนา",
        "ฝ่ายบริหารงานวิชาการ 8 ปี; ผู้ประสานงานเครือข่ายสถานศึกษา",
    ),
    DemoPerson(
        "ดร.รัชนี วงศ์ศรีสุขเกษม",
        "ศึกษานิเทศก์ชำนาญการพิเศษ",
        ESA_OFFICE,
        "ศึกษานิเทศก์ 11 ปี; ด้านหลักสูตรและการวัดและประเมินผล",
        "demo_e09",
    ),
    DemoPerson(
        "นายวีระพงษ์ ศรีสะอาดวงศ์",
        "ศึกษานิเทศก์ชำนาญการพิเศษ",
        ESA_OFFICE,
        "ศึกษานิเทศก์ 9 ปี; ด้านสื่อ นวัตกรรมและเทคโนโลยีการศึกษา",
    ),
    DemoPerson(
        "นางสาวปิยะนุช ประทุมทองดี",
        "ศึกษานิเทศก์ชำนาญการ",
        ESA_OFFICE,
        "ศึกษานิเทศก์ 6 ปี; ด้านการประกันคุณภาพการศึกษา",
    ),
    DemoPerson(
        "ดร.ชาญวิทย์ พูนผลประเสริฐ",
        "รองผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา",
        ESA_OFFICE,
        "ผู้บริหารการศึกษา 20 ปี; กำกับดูแลเครือข่ายสถานศึกษา",
    ),
    DemoPerson(
        "นางอรุณี สุขประเสริฐวงศ์",
        "ผู้อำนวยการกลุ่มนิเทศ ติดตามและประเมินผลการจัดการศึกษา",
        ESA_OFFICE,
        "ศึกษานิเทศก์ 17 ปี; ด้านการนิเทศติดตามและประเมินผล",
        "demo_e13",
    ),
    DemoPerson(
        "ผศ.ดร.ณัฐพล เกียรติก้องไพศาล",
        "อาจารย์มหาวิทยาลัย",
        "คณะครุศาสตร์ มหาวิทยาลัยราชภัฏบุรีรัมย์",
        "อาจารย์ประจำหลักสูตรการบริหารการศึกษา 12 ปี; วิจัยด้านเครือข่ายความร่วมมือ",
    ),
    DemoPerson(
        "รศ.ดร.สุพัตรา ธนวัฒน์ไพโรจน์",
        "อาจารย์มหาวิทยาลัย",
        "คณะศึกษาศาสตร์ มหาวิทยาลัยมหาสารคาม",
        "อาจารย์ 22 ปี; ผู้เชี่ยวชาญการวิจัยและประเมินผลการศึกษา",
        "demo_e15",
    ),
    DemoPerson(
        "ดร.กิตติศักดิ์ ภูมิพัฒน์ธำรง",
        "อาจารย์มหาวิทยาลัย",
        "คณะศึกษาศาสตร์ มหาวิทยาลัยขอนแก่น",
        "อาจารย์ 10 ปี; ด้านภาวะผู้นำและการเสริมพลังอำนาจในองค์กรการศึกษา",
    ),
    DemoPerson(
        "นางมาลัย ศรีบุญเรืองรัตน์",
        "ครูชำนาญการพิเศษ",
        "โรงเรียนบ้านหนองตะเคียนงาม",
        "ครูผู้สอน 19 ปี; ครูแกนนำเครือข่ายพัฒนาการเรียนรู้กลุ่มสาระคณิตศาสตร์",
    ),
    DemoPerson(
        "นายสมชาย โพธิ์ทองวัฒนา",
        "ครูชำนาญการพิเศษ",
        "โรงเรียนบ้านโคกสำราญวิทย์",
        "ครูผู้สอน 15 ปี; ครูแกนนำด้านเทคโนโลยีสารสนเทศเพื่อการเรียนรู้",
        "demo_e18",
    ),
    DemoPerson(
        "นายบุญเลิศ ศรีสำราญสุข",
        "ประธานคณะกรรมการสถานศึกษาขั้นพื้นฐาน",
        "โรงเรียนบ้านหนองบัวทองพัฒนา",
        "ผู้นำชุมชน; กรรมการสถานศึกษา 3 วาระ",
    ),
    DemoPerson(
        "นายเกรียงไกร ทองมาศประเสริฐ",
        "นายกองค์การบริหารส่วนตำบล",
        "องค์การบริหารส่วนตำบลหนองบัวทอง",
        "ผู้บริหารท้องถิ่น 8 ปี; สนับสนุนงบประมาณและแหล่งเรียนรู้แก่โรงเรียนในตำบล",
    ),
    DemoPerson(
        "นางบุษบา แก้วประเสริฐกุล",
        "ประธานเครือข่ายผู้ปกครอง",
        "เครือข่ายผู้ปกครองนักเรียนอำเภอตัวอย่าง",
        "ผู้แทนผู้ปกครอง; ประสานความร่วมมือระหว่างบ้าน โรงเรียน และชุมชน",
        "demo_e21",
    ),
)

QUALIFIED_PERSONS = (
    DemoPerson(
        "รศ.ดร.วิชัย ประเสริฐวิทยากุล",
        "อาจารย์ประจำหลักสูตรการบริหารการศึกษา",
        "คณะครุศาสตร์ มหาวิทยาลัยราชภัฏบุรีรัมย์",
        "อาจารย์ 25 ปี; กรรมการสอบวิทยานิพนธ์ด้านการบริหารการศึกษา",
    ),
    DemoPerson(
        "ผศ.ดร.จันทร์เพ็ญ ศักดิ์สิทธิ์วงศา",
        "อาจารย์มหาวิทยาลัย",
        "คณะศึกษาศาสตร์ มหาวิทยาลัยมหาสารคาม",
        "อาจารย์ 16 ปี; ผู้เชี่ยวชาญการพัฒนารูปแบบและแบบจำลองทางการศึกษา",
        "demo_q02",
    ),
    DemoPerson(
        "ดร.ประยุทธ ชัยวงศ์สถาพร",
        "ข้าราชการบำนาญ อดีตผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา",
        "นักวิชาการอิสระ",
        "ผู้บริหารการศึกษา 30 ปี; ประสบการณ์บริหารเครือข่ายสถานศึกษาระดับเขตพื้นที่",
    ),
    DemoPerson(
        "ดร.นงลักษณ์ พรหมสุวรรณกิจ",
        "ผู้อำนวยการโรงเรียน (วิทยฐานะเชี่ยวชาญ)",
        "โรงเรียนบ้านดงใหญ่วิทยาคาร",
        "ผู้บริหารสถานศึกษา 22 ปี; โรงเรียนต้นแบบเครือข่ายความร่วมมือกับชุมชน",
        "demo_q04",
    ),
    DemoPerson(
        "ดร.สมพงษ์ อินทร์แก้วประดิษฐ์",
        "ศึกษานิเทศก์เชี่ยวชาญ",
        ESA_OFFICE,
        "ศึกษานิเทศก์ 24 ปี; ด้านการนิเทศและการพัฒนาคุณภาพการศึกษา",
    ),
    DemoPerson(
        "รศ.ดร.ลัดดาวัลย์ เรืองศรีสวัสดิ์",
        "อาจารย์มหาวิทยาลัย",
        "คณะศึกษาศาสตร์ มหาวิทยาลัยขอนแก่น",
        "อาจารย์ 20 ปี; ผู้เชี่ยวชาญระเบียบวิธีวิจัยและเทคนิคเดลฟาย",
    ),
    DemoPerson(
        "ดร.ไพโรจน์ สิทธิโชคอนันต์",
        "ผู้ประเมินคุณภาพภายนอก",
        "นักวิชาการอิสระ",
        "ผู้ประเมินภายนอกระดับการศึกษาขั้นพื้นฐาน 12 ปี; ด้านการประกันคุณภาพการศึกษา",
        "demo_q07",
    ),
)

PANELS = (
    DemoPanel(
        "E",
        "ผู้เชี่ยวชาญ",
        "ตอบแบบสอบถามรอบที่ 1 ถึง 3 ตามเทคนิคเดลฟาย: แสดงความคิดเห็นเกี่ยวกับองค์ประกอบ"
        "เครือข่ายความร่วมมือ แล้วประเมินแนวโน้มความเป็นไปได้ของข้อความแต่ละข้อ",
        "081-555-01",
        SPECIALISTS,
    ),
    DemoPanel(
        "Q",
        "ผู้ทรงคุณวุฒิ",
        "รับรองแบบจำลองเครือข่ายความร่วมมือที่ได้จากการวิจัย ว่ามีความเหมาะสม เป็นประโยชน์ และเป็นไปได้",
        "089-555-02",
        QUALIFIED_PERSONS,
    ),
)


class DemoDomain(NamedTuple):
    title: str
    description: str
    questions: tuple[str, ...]


# The paper's order: the model rests on its underlying concepts (abstract), then the
# process, the components and the scope of cooperative administration (discussion).
DOMAINS = (
    DemoDomain(
        "ด้านแนวคิดพื้นฐาน",
        "หลักการเครือข่าย หลักการมีส่วนร่วม หลักการเสริมพลังอำนาจ และคุณภาพการศึกษา",
        (
            "ท่านเห็นว่าเครือข่ายความร่วมมือเพื่อยกระดับคุณภาพการศึกษาของสถานศึกษาขั้นพื้นฐาน "
            "ควรยึดหลักการหรือแนวคิดพื้นฐานใดบ้าง เพราะเหตุใด",
            "ในความเห็นของท่าน คุณภาพการศึกษาของสถานศึกษาขั้นพื้นฐานที่เครือข่ายควรมุ่งยกระดับ "
            "หมายถึงอะไร และควรพิจารณาจากสิ่งใด",
            "สมาชิกเครือข่าย เช่น สถานศึกษา ชุมชน องค์กรปกครองส่วนท้องถิ่น และหน่วยงานอื่น "
            "ควรมีส่วนร่วมและได้รับการเสริมพลังอำนาจอย่างไร",
        ),
    ),
    DemoDomain(
        "ด้านกระบวนการขั้นตอนของการสร้างเครือข่าย",
        "ขั้นตอนตั้งแต่การตระหนักถึงความจำเป็นในการสร้างเครือข่าย จนถึงการรักษาความสัมพันธ์และความต่อเนื่อง",
        (
            "ท่านคิดว่าการสร้างเครือข่ายความร่วมมือเพื่อยกระดับคุณภาพการศึกษาของสถานศึกษา"
            "ขั้นพื้นฐาน ควรมีขั้นตอนใดบ้าง และควรเรียงลำดับอย่างไร",
            "การประสานหน่วยงานหรือองค์กรเครือข่าย และการสร้างพันธสัญญาร่วมกัน ควรดำเนินการอย่างไรจึงจะได้ผล",
            "เครือข่ายควรพัฒนาและรักษาความสัมพันธ์ระหว่างสมาชิกอย่างไร เพื่อให้การดำเนินงานเป็นไปอย่างต่อเนื่อง",
        ),
    ),
    DemoDomain(
        "ด้านองค์ประกอบของเครือข่าย",
        "กิจกรรมสำคัญ วิธีการพัฒนาสมาชิก การเสริมสร้างพลังอำนาจ คุณลักษณะของผู้นำและสมาชิก "
        "และการปฏิบัติงานและการสะท้อนผล",
        (
            "ลักษณะหรือกิจกรรมสำคัญใดที่ช่วยเสริมประสิทธิภาพการดำเนินภารกิจของเครือข่าย",
            "ควรใช้เทคนิคหรือวิธีการใดในการพัฒนาสมาชิกเครือข่าย "
            "และในการเสริมสร้างพลังอำนาจ (Empowerment) ให้แก่สมาชิก",
            "ผู้นำและสมาชิกเครือข่ายที่ดีควรมีคุณลักษณะอย่างไร และเครือข่ายควรสะท้อนผลการปฏิบัติงานอย่างไร",
        ),
    ),
    DemoDomain(
        "ด้านขอบข่ายการบริหารงานเครือข่ายความร่วมมือ",
        "งานที่เครือข่ายร่วมกันบริหารเพื่อยกระดับคุณภาพการศึกษา",
        (
            "เครือข่ายความร่วมมือควรร่วมกันพัฒนาหลักสูตร กระบวนการเรียนรู้ และการวัดและประเมินผลการศึกษาอย่างไร",
            "เครือข่ายควรมีบทบาทอย่างไรในการพัฒนาสื่อ นวัตกรรมและเทคโนโลยีการศึกษา "
            "และระบบการนิเทศติดตามและประเมินผล",
            "เครือข่ายควรร่วมพัฒนาระบบประกันคุณภาพการศึกษาและระบบบริหารจัดการศึกษาอย่างไร",
        ),
    ),
)
# Asked last in round 1, under no domain: what the domains above do not cover.
CLOSING_QUESTION = "ท่านมีข้อเสนอแนะอื่นเกี่ยวกับเครือข่ายความร่วมมือเพื่อยกระดับคุณภาพการศึกษาหรือไม่"

BANGKOK = ZoneInfo("Asia/Bangkok")


def _opens(year: int, month: int, day: int) -> datetime.datetime:
    return datetime.datetime(year, month, day, 9, 0, tzinfo=BANGKOK)


def _closes(year: int, month: int, day: int) -> datetime.datetime:
    return datetime.datetime(year, month, day, 23, 59, tzinfo=BANGKOK)


class DemoRound(NamedTuple):
    number: int
    kind: str
    code_prefix: str
    title: str
    instructions: str
    opens_at: datetime.datetime | None
    closes_at: datetime.datetime | None


# Dates of the paper (B.E. 2562 = 2019).
ROUNDS = (
    DemoRound(
        1,
        Round.Kind.OPEN,
        "E",
        "แบบสอบถามรอบที่ 1: คำถามปลายเปิด",
        "แบบสอบถามฉบับนี้เป็นแบบสอบถามปลายเปิด ขอให้ท่านแสดงความคิดเห็นอย่างอิสระเกี่ยวกับ"
        "แบบจำลองเครือข่ายความร่วมมือเพื่อยกระดับคุณภาพการศึกษา สถานศึกษาขั้นพื้นฐาน "
        "ในแต่ละด้าน คำตอบไม่มีถูกหรือผิด\n"
        "ผู้วิจัยจะนำคำตอบของทุกท่านมาวิเคราะห์เนื้อหา ตัดข้อความที่ซ้ำซ้อน "
        "และสร้างเป็นแบบสอบถามรอบที่ 2 โดยไม่เปิดเผยชื่อผู้ตอบ",
        _opens(2019, 1, 22),
        _closes(2019, 2, 25),
    ),
    DemoRound(
        2,
        Round.Kind.RATING,
        "E",
        "แบบสอบถามรอบที่ 2: มาตราส่วนประมาณค่า 5 ระดับ",
        "ข้อความแต่ละข้อได้จากการวิเคราะห์คำตอบในรอบที่ 1 "
        "โปรดพิจารณาแล้วเลือกระดับแนวโน้มความเป็นไปได้ของข้อความนั้น "
        "ตั้งแต่ 1 (แนวโน้มที่เป็นไปได้น้อยที่สุด) ถึง 5 (แนวโน้มที่เป็นไปได้มากที่สุด)",
        _opens(2019, 3, 8),
        _closes(2019, 3, 25),
    ),
    DemoRound(
        3,
        Round.Kind.RATING,
        "E",
        "แบบสอบถามรอบที่ 3: ทบทวนคำตอบ",
        "ข้อความในรอบนี้เหมือนกับรอบที่ 2 โดยแสดงค่ามัธยฐาน (Median) "
        "และค่าพิสัยระหว่างควอไทล์ (Interquartile Range) ของกลุ่มผู้เชี่ยวชาญ "
        "พร้อมคำตอบของท่านในรอบที่ 2 โปรดพิจารณาคำตอบของท่านอีกครั้ง",
        _opens(2019, 3, 30),
        _closes(2019, 4, 24),
    ),
    DemoRound(
        4,
        Round.Kind.CONFIRMATION,
        "Q",
        "การรับรองแบบจำลองโดยผู้ทรงคุณวุฒิ",
        "โปรดพิจารณาแบบจำลองเครือข่ายความร่วมมือเพื่อยกระดับคุณภาพการศึกษา "
        "สถานศึกษาขั้นพื้นฐาน ที่ได้จากการวิจัย ว่ามีความเหมาะสม เป็นประโยชน์ "
        "และเป็นไปได้ในการนำไปใช้เพียงใด",
        None,
        None,
    ),
)


@dataclass
class DemoResult:
    study: Study
    user: AbstractUser
    # How many of each piece this load created: "user", "study", "panels", "experts",
    # "domains", "rounds", "questions", "invitations", "submissions", "answers". All zero
    # when the demo study was already complete.
    created: Counter = field(default_factory=Counter)

    @property
    def created_anything(self) -> bool:
        return any(self.created.values())


def _write(stdout, message: str) -> None:
    if stdout is not None:
        stdout.write(message + "\n")


def _demo_user(created: Counter) -> AbstractUser:
    user_model = get_user_model()
    user, user_created = user_model.objects.get_or_create(
        username=DEMO_USERNAME,
        defaults={
            "first_name": DEMO_FIRST_NAME,
            "last_name": DEMO_LAST_NAME,
            "email": DEMO_EMAIL,
        },
    )
    created["user"] += int(user_created)
    # The password is public, so the account must never carry more than a researcher's
    # rights, and the printed login must always work: reset both, and lift any lockout.
    user.set_password(DEMO_PASSWORD)
    user.is_active = True
    user.is_staff = False
    user.is_superuser = False
    user.save()
    axes_reset(username=DEMO_USERNAME)
    return user


def _ensure(model, created: Counter, counter: str, lookup: dict, defaults: dict):
    """The row matching `lookup`, created (validated) from `defaults` when missing."""
    obj = model.objects.filter(**lookup).order_by("pk").first()
    if obj is None:
        obj = model(**lookup, **defaults)
        obj.full_clean()
        obj.save()
        created[counter] += 1
    return obj


def _ensure_questions(delphi_round: Round, domains: list[Domain], created: Counter) -> None:
    # Experts may already be answering once round 1 is open: never change its questionnaire.
    if not delphi_round.is_draft:
        return
    questions = [
        (domain, text)
        for domain, demo_domain in zip(domains, DOMAINS, strict=True)
        for text in demo_domain.questions
    ]
    questions.append((None, CLOSING_QUESTION))
    for order, (domain, text) in enumerate(questions, start=1):
        _ensure(
            OpenQuestion,
            created,
            "questions",
            {"delphi_round": delphi_round, "order": order},
            {"domain": domain, "text": text},
        )


@transaction.atomic
def demo_study_load(*, stdout=None, until_round: int = 4) -> DemoResult:
    """Create whatever of the demo study is missing, and reset the demo login.

    The study is the demo user's study with the Thai title; panels, experts, domains,
    rounds and round-1 questions are each created only when absent, never changed when
    present. Round 1 then gets its invitations and 18 returned questionnaires and is closed,
    as in the paper (only while it is still an untouched draft). With `until_round` >= 2
    (the default is the whole story, 4) round 1's answers are coded into statements and
    round 2 is answered, closed and frozen; with 3, round 3 too; with 4 the qualified persons
    certify round 3's final model in round 4 (demo.confirmation). `until_round=1` stops after
    round 1's answers, leaving the content analysis to do (as a walkthrough needs). Writes
    progress lines to `stdout` when given. Raises ValidationError when an existing row
    blocks a missing one (e.g. an expert edited to use a demo e-mail address).
    """
    created: Counter = Counter()
    user = _demo_user(created)
    # Two loads at once (two `make run`s on one database) would both find no study and
    # create two; locking the owner's row makes the second wait and then find the first's.
    get_user_model().objects.select_for_update().get(pk=user.pk)
    if created["user"]:
        _write(
            stdout,
            _("Created the demo researcher “%(username)s”.") % {"username": user.get_username()},
        )

    study = _ensure(
        Study,
        created,
        "study",
        {"owner": user, "title": TITLE},
        {"title_en": TITLE_EN, "description": DESCRIPTION, "scale_labels": list(SCALE_LABELS)},
    )
    if created["study"]:
        _write(stdout, _("Created the study “%(title)s”.") % {"title": study.title})

    panels = {}
    for order, demo_panel in enumerate(PANELS, start=1):
        panel = _ensure(
            Panel,
            created,
            "panels",
            {"study": study, "code_prefix": demo_panel.code_prefix},
            {"name": demo_panel.name, "purpose": demo_panel.purpose, "order": order},
        )
        panels[demo_panel.code_prefix] = panel
        before = created["experts"]
        for number, person in enumerate(demo_panel.people, start=1):
            code = f"{demo_panel.code_prefix}{number:02d}"
            _ensure(
                Expert,
                created,
                "experts",
                {"panel": panel, "code": code},
                {
                    **person._asdict(),
                    "email": f"{code.lower()}@example.org",
                    "phone": f"{demo_panel.phone_prefix}{number:02d}",
                },
            )
        added = created["experts"] - before
        if added:
            _write(
                stdout,
                ngettext(
                    "Added %(count)s expert to the panel “%(panel)s”.",
                    "Added %(count)s experts to the panel “%(panel)s”.",
                    added,
                )
                % {"count": added, "panel": panel.name},
            )

    domains = [
        _ensure(
            Domain,
            created,
            "domains",
            {"study": study, "order": order},
            {"title": demo_domain.title, "description": demo_domain.description},
        )
        for order, demo_domain in enumerate(DOMAINS, start=1)
    ]

    rounds: dict[int, Round] = {}
    for demo_round in ROUNDS:
        rounds[demo_round.number] = _ensure(
            Round,
            created,
            "rounds",
            {"study": study, "number": demo_round.number},
            {
                "panel": panels[demo_round.code_prefix],
                "kind": demo_round.kind,
                "title": demo_round.title,
                "instructions": demo_round.instructions,
                "opens_at": demo_round.opens_at,
                "closes_at": demo_round.closes_at,
                # Round 4 certifies the model built from round 3's statements.
                "previous_round": rounds.get(demo_round.number - 1),
            },
        )

    _ensure_questions(rounds[1], domains, created)
    round_one_answers_load(delphi_round=rounds[1], user=user, created=created)
    if until_round >= 2:
        round_one_coding_load(study=study, round_one=rounds[1], domains=domains, created=created)
        later = {n: r for n, r in rounds.items() if n <= until_round}
        rating_rounds_load(study=study, rounds=later, user=user, created=created)
    if until_round >= 4:
        confirmation_round_load(
            round_three=rounds.get(3), round_four=rounds.get(4), user=user, created=created
        )

    if created["domains"] or created["rounds"] or created["questions"]:
        _write(
            stdout,
            _("Added: domains %(domains)s, rounds %(rounds)s, round-1 questions %(questions)s.")
            % {
                "domains": created["domains"],
                "rounds": created["rounds"],
                "questions": created["questions"],
            },
        )
    if created["submissions"]:
        _write(
            stdout,
            _(
                "Round 1: invited %(invited)s specialists, added %(returned)s returned "
                "questionnaires (%(answers)s answers) and closed the round."
            )
            % {
                "invited": created["invitations"],
                "returned": created["submissions"],
                "answers": created["answers"],
            },
        )
    if created["statements"]:
        _write(
            stdout,
            _(
                "Round 1 coded: %(statements)s statements from the answers (%(merged)s of them "
                "duplicates merged into others), %(out_of_scope)s answers set aside as out of "
                "scope."
            )
            % {
                "statements": created["statements"],
                "merged": created["merged"],
                "out_of_scope": created["out_of_scope"],
            },
        )
    if created["rating_submissions"]:
        _write(
            stdout,
            _(
                "Rating rounds: added %(returned)s returned questionnaires with %(ratings)s "
                "ratings, closed the rounds and froze %(results)s results."
            )
            % {
                "returned": created["rating_submissions"],
                "ratings": created["ratings"],
                "results": created["results"],
            },
        )
    if created["confirmation_submissions"]:
        _write(
            stdout,
            _(
                "Round 4: %(returned)s qualified persons rated the %(items)s components of the "
                "final model on every criterion; the round was closed and %(results)s results "
                "frozen."
            )
            % {
                "returned": created["confirmation_submissions"],
                "items": created["confirmation_items"],
                "results": created["confirmation_results"],
            },
        )
    if any(created.values()):
        audit(study=study, actor=user, action="demo.load", created=dict(created))
    return DemoResult(study=study, user=user, created=created)
