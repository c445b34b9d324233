"""The demo study after round 1, as the paper tells it: content analysis, rounds 2 and 3.

Round 1's answers (demo.answers) are coded into the paper's 22 statements — 4 underlying
concepts, 6 steps of building the network, 5 components and 7 areas of cooperative
administration (delphi_study_paper_th.txt, results) — each linked to the answers it came
from; three duplicates are merged and two kinds of answer are set aside as out of scope.
Round 2 rates the active statements; round 3 asks them again with the group's median and
IQR and each expert's own answer. The same 18 of 21 specialists answer both rounds.

The ratings are written out explicitly so the results are known in advance and resemble the
paper: most statements reach the highest band (median >= 4.50) with consensus (IQR <= 1.50),
a few stay 'high', and three without consensus in round 2 reach it in round 3, where no
statement sees more than 2 of the 18 experts change their answer (stable under the default
15 % rule). Rows are written in bulk, as data loading, not through the experts' services.
"""

import datetime
import random
from collections import Counter
from typing import NamedTuple

from django.contrib.auth.models import AbstractUser
from django.db.models import OuterRef, Subquery

from panels.models import Study
from panels.protocol import protocol_lock
from rounds.models import (
    Channel,
    Domain,
    Invitation,
    OpenAnswer,
    Rating,
    Round,
    RoundItem,
    Statement,
    StatementSource,
    Submission,
)
from rounds.results import round_results_freeze

from .answers import ANSWER_POOLS, BANGKOK, NON_RESPONDENTS, RESPONDENTS

# (question, answer): the `answer`-th entry of ANSWER_POOLS[question], both 0-based.
Source = tuple[int, int]


class DemoStatement(NamedTuple):
    key: str
    domain: int  # index into services.DOMAINS
    text: str
    sources: tuple[Source, ...]
    # Round-2 answers per scale point (18 in all), for active statements.
    round_two: tuple[int, int, int, int, int] = (0, 0, 0, 0, 0)
    # Round-3 changes: (from, to) moves one expert's answer; everybody else keeps theirs.
    round_three: tuple[tuple[int, int], ...] = ()
    merged_into: str = ""


# The recurring round-2 patterns (checked by hand with the grouped formulas, N = 18):
HIGHEST_A = (0, 0, 1, 6, 11)  # median 4.68, IQR 1.01
HIGHEST_B = (0, 0, 0, 5, 13)  # median 4.81, IQR 0.75
HIGHEST_C = (0, 1, 1, 6, 10)  # median 4.60, IQR 1.13
HIGHEST_D = (0, 0, 2, 5, 11)  # median 4.68, IQR 1.09
HIGHEST_E = (0, 0, 1, 8, 9)  # median 4.50 exactly (highest), IQR 1.06
HIGH = (0, 0, 3, 9, 6)  # median 4.17, IQR 1.08

STATEMENTS = (
    # ด้านแนวคิดพื้นฐาน: the four underlying concepts.
    DemoStatement(
        "concept_network",
        0,
        "หลักการเครือข่าย: สมาชิกเข้าร่วมด้วยความสมัครใจ มีเป้าหมายร่วมกัน ทำงานบนพื้นฐานของ"
        "ความไว้วางใจและความเสมอภาค และแบ่งปันทรัพยากร ความรู้ และประสบการณ์ เพื่อประโยชน์ร่วมกัน"
        "ของทุกโรงเรียน โดยเฉพาะโรงเรียนขนาดเล็ก",
        ((0, 0), (0, 4), (0, 5), (0, 6), (12, 4)),
        HIGHEST_A,
    ),
    DemoStatement(
        "concept_participation",
        0,
        "หลักการมีส่วนร่วม: สถานศึกษา ผู้ปกครอง ชุมชน องค์กรปกครองส่วนท้องถิ่น และสถาบันอุดมศึกษา "
        "ร่วมคิด ร่วมวางแผน ร่วมดำเนินงาน ร่วมประเมินผล และร่วมรับผิดชอบการจัดการศึกษา",
        ((0, 1), (2, 0), (2, 1), (2, 2), (2, 3), (2, 5)),
        HIGHEST_B,
    ),
    DemoStatement(
        "concept_empowerment",
        0,
        "หลักการเสริมพลังอำนาจ: มอบอำนาจการตัดสินใจแก่คณะทำงานของเครือข่าย สนับสนุนทรัพยากร"
        "ให้เพียงพอ และยกย่องเชิดชูผู้มีผลงาน เพื่อให้ครูและสมาชิกมั่นใจ กล้าคิด กล้าตัดสินใจ",
        ((0, 2), (2, 4), (2, 6)),
        # No consensus in round 2 (IQR 1.88); two experts move up in round 3 (IQR 1.48).
        (1, 2, 4, 5, 6),
        ((1, 4), (2, 5)),
    ),
    DemoStatement(
        "concept_quality",
        0,
        "คุณภาพการศึกษา: ผู้เรียนมีคุณลักษณะตามหลักสูตรแกนกลางการศึกษาขั้นพื้นฐาน อ่านออก "
        "เขียนได้ คิดเลขเป็น มีทักษะชีวิต และผลสัมฤทธิ์ทางการเรียน ผลการประเมินคุณภาพภายใน"
        "และภายนอกสูงขึ้น",
        ((0, 3), *((1, n) for n in range(7))),
        HIGHEST_C,
        ((2, 4),),
    ),
    # ด้านกระบวนการขั้นตอนของการสร้างเครือข่าย: six steps.
    DemoStatement(
        "step_awareness",
        1,
        "ขั้นตระหนักถึงความจำเป็นในการสร้างเครือข่าย: สร้างความตระหนักแก่สมาชิกในองค์กร "
        "ศึกษาสภาพปัญหาและความต้องการร่วมกัน และเปิดโอกาสให้บุคคลและองค์กรร่วมมือกันทำงาน"
        "ที่เอื้อประโยชน์ซึ่งกันและกัน",
        ((3, 0), (3, 2), (3, 3)),
        HIGHEST_B,
    ),
    DemoStatement(
        "step_coordination",
        1,
        "ขั้นประสานหน่วยงาน/องค์กรเครือข่าย: ประสานหน่วยงานและองค์กรต่าง ๆ ด้วยวิธีการ"
        "ที่หลากหลายตามบริบท รวมทั้งหน่วยงานที่เป็นแหล่งทรัพยากรทางวิชาการ เช่น สถาบันอุดมศึกษา"
        "และศึกษานิเทศก์",
        ((3, 1), (4, 0), (4, 5), (12, 1)),
        HIGHEST_A,
    ),
    DemoStatement(
        "step_commitment",
        1,
        "ขั้นสร้างพันธสัญญาร่วมกัน: แต่งตั้งคณะทำงานยกร่างพันธสัญญาโดยการมีส่วนร่วมของทุกฝ่าย"
        "ที่เกี่ยวข้อง (Partnership Agreement) กำหนดเป้าหมาย วัตถุประสงค์ แนวทาง และปฏิทิน"
        "การดำเนินงานให้เป็นรูปธรรม สามารถปฏิบัติได้",
        ((3, 1), (4, 1), (4, 2), (4, 4)),
        # The paper rates this step 'high' (ระดับมาก), the others 'highest'.
        (0, 1, 3, 8, 6),
        ((2, 4),),
    ),
    DemoStatement(
        "step_management",
        1,
        "ขั้นบริหารจัดการเครือข่าย: กำหนดโครงสร้าง บทบาทหน้าที่ และผู้ประสานงานของเครือข่าย"
        "ให้ชัดเจน (Delegated Power) มีแผนงาน ปฏิทินการดำเนินงาน และงบประมาณสนับสนุน",
        ((3, 4), (12, 0)),
        HIGHEST_D,
    ),
    DemoStatement(
        "step_relationships",
        1,
        "ขั้นพัฒนาความสัมพันธ์: สมาชิกมีความสัมพันธ์แบบกัลยาณมิตร ยอมรับความคิดเห็นที่แตกต่าง"
        "เพื่อลดความขัดแย้ง และจัดกิจกรรมและเวทีแลกเปลี่ยนเรียนรู้เพื่อพัฒนางาน",
        ((5, 0), (5, 3)),
        HIGHEST_E,
    ),
    DemoStatement(
        "step_continuity",
        1,
        "ขั้นรักษาความสัมพันธ์และความต่อเนื่อง: สร้างความเชื่อมั่นและการยอมรับซึ่งกันและกัน "
        "ประเมินผลและถอดบทเรียนเพื่อปรับปรุงงาน และส่งต่องานเครือข่ายเมื่อผู้บริหารย้าย",
        ((5, 4), (5, 5), (3, 5)),
        HIGHEST_C,
    ),
    # ด้านองค์ประกอบของเครือข่าย: five components.
    DemoStatement(
        "component_activities",
        2,
        "ลักษณะหรือกิจกรรมสำคัญที่เสริมประสิทธิภาพการดำเนินภารกิจของเครือข่าย: จัดทำและสื่อสาร"
        "ข้อมูลสารสนเทศของเครือข่าย ใช้ทรัพยากรร่วมกัน มีแผนปฏิบัติการ และประชุมติดตามงาน"
        "อย่างสม่ำเสมอ",
        tuple((6, n) for n in range(6)),
        HIGHEST_A,
    ),
    DemoStatement(
        "component_development",
        2,
        "เทคนิค/วิธีการพัฒนาสมาชิกเครือข่าย: จัดกิจกรรมแลกเปลี่ยนเรียนรู้อย่างต่อเนื่อง"
        "ด้วยวิธีการที่หลากหลาย เช่น ชุมชนการเรียนรู้ทางวิชาชีพ การอบรม การศึกษาดูงาน "
        "และระบบพี่เลี้ยง และเปิดโอกาสให้สมาชิกแสดงความคิดเห็นอย่างกว้างขวาง",
        ((7, 0), (7, 1), (7, 4)),
        HIGHEST_D,
        ((3, 4),),
    ),
    DemoStatement(
        "component_empowerment",
        2,
        "กระบวนการเสริมสร้างพลังอำนาจ (Empowerment): ส่งเสริมให้ทุกฝ่ายปฏิบัติงานเต็มตาม"
        "ศักยภาพ สนับสนุนทรัพยากรอย่างเพียงพอ มอบหมายงานที่ท้าทายพร้อมอำนาจตัดสินใจ "
        "และสร้างบรรยากาศการทำงานบนพื้นฐานความไว้วางใจ",
        ((7, 2), (7, 3), (7, 5)),
        # No consensus in round 2 (IQR 1.81); in round 3 median 4.50 and IQR 1.40.
        (0, 2, 4, 4, 8),
        ((2, 4), (3, 5)),
    ),
    DemoStatement(
        "component_leadership",
        2,
        "คุณลักษณะที่ดีของผู้นำและสมาชิกเครือข่าย: มีวิสัยทัศน์และถ่ายทอดแนวคิดสู่การปฏิบัติ "
        "วางแผนได้เหมาะสมกับเป้าหมายขององค์กร ยอมรับความคิดเห็นของเพื่อนร่วมเครือข่าย "
        "เสียสละ และสื่อสารประสานงานได้ดี",
        ((8, 0), (8, 1), (8, 2), (8, 3)),
        HIGHEST_B,
    ),
    DemoStatement(
        "component_reflection",
        2,
        "การปฏิบัติงานของเครือข่ายและการสะท้อนผล: ประชุมสรุปผลและถอดบทเรียนทุกภาคเรียน "
        "รายงานผลการดำเนินงานต่อสำนักงานเขตพื้นที่และชุมชนอย่างโปร่งใส",
        ((8, 4), (8, 5), (3, 5)),
        # Not among the paper's 'highest' components.
        HIGH,
    ),
    # ด้านขอบข่ายการบริหารงานเครือข่ายความร่วมมือ: seven areas.
    DemoStatement(
        "scope_curriculum",
        3,
        "การพัฒนาหลักสูตร: พัฒนาหลักสูตรสถานศึกษาให้สอดคล้องกับมาตรฐานการศึกษาของชาติและ"
        "หลักสูตรแกนกลางการศึกษาขั้นพื้นฐาน และร่วมพัฒนาหลักสูตรท้องถิ่น",
        ((9, 0), (9, 1)),
        HIGHEST_A,
    ),
    DemoStatement(
        "scope_learning",
        3,
        "การพัฒนากระบวนการเรียนรู้: จัดกิจกรรมการเรียนการสอนโดยยึดมาตรฐานและตัวชี้วัด "
        "ด้วยความร่วมมือของเครือข่ายในสาขาวิชาที่ต้องการ และแลกเปลี่ยนครูในวิชาที่ขาดแคลน",
        ((9, 2), (9, 3)),
        HIGHEST_B,
    ),
    DemoStatement(
        "scope_assessment",
        3,
        "การพัฒนาการวัดและประเมินผลการศึกษา: พัฒนาเครื่องมือวัดและประเมินผลที่หลากหลาย "
        "สอดคล้องกับสมรรถนะของหลักสูตร และร่วมวิเคราะห์ผลการทดสอบ O-NET และ NT",
        ((9, 4), (9, 5)),
        HIGHEST_C,
        ((2, 4),),
    ),
    DemoStatement(
        "scope_media",
        3,
        "การพัฒนาสื่อ นวัตกรรมและเทคโนโลยีการศึกษา: พัฒนาระบบเทคโนโลยีสารสนเทศที่เอื้อต่อ"
        "การจัดการเรียนรู้และการบริหารจัดการศึกษา และจัดตั้งคลังสื่อของเครือข่าย",
        ((10, 0), (10, 1), (10, 2)),
        HIGHEST_D,
    ),
    DemoStatement(
        "scope_supervision",
        3,
        "การพัฒนาระบบการนิเทศติดตามและประเมินผล: วางแผนการนิเทศและสร้างเครื่องมือนิเทศร่วมกัน "
        "และนิเทศแบบกัลยาณมิตรภายในเครือข่ายร่วมกับศึกษานิเทศก์",
        ((10, 3), (10, 4), (10, 5)),
        # No consensus in round 2 (IQR 1.75). In round 3 the IQR is exactly 1.50 (consensus by
        # the study's rule), median 4.00 ('high'), but only 67 % answer 4 or 5: the item the
        # sensitivity view flags under the percent-agreement definitions.
        (1, 1, 5, 5, 6),
        ((1, 3), (2, 4)),
    ),
    DemoStatement(
        "scope_quality_assurance",
        3,
        "การพัฒนาระบบประกันคุณภาพการศึกษา: สถานศึกษากำหนดมาตรฐานการศึกษาที่เหมาะสม "
        "สอดคล้องกับมาตรฐานการศึกษาและบริบท และเพื่อนในเครือข่ายช่วยตรวจสอบรายงานการประเมินตนเอง",
        ((11, 0), (11, 1), (11, 2)),
        HIGHEST_E,
    ),
    DemoStatement(
        "scope_management",
        3,
        "การพัฒนาระบบบริหารจัดการศึกษา: เปิดโอกาสให้ทุกฝ่ายมีส่วนร่วมในการติดตามและประเมินผล "
        "และบริหารจัดการศึกษาบนพื้นฐานของข้อมูลสารสนเทศที่ถูกต้อง เป็นจริง และทันสมัย",
        ((11, 3), (11, 4), (11, 5)),
        HIGHEST_A,
    ),
    # Duplicates found during the content analysis, merged into the statement above them.
    DemoStatement(
        "duplicate_mou",
        1,
        "จัดทำบันทึกข้อตกลงความร่วมมือ (MOU) ระหว่างโรงเรียน สำนักงานเขตพื้นที่ และองค์กรปกครองส่วนท้องถิ่น",
        ((4, 3),),
        merged_into="step_commitment",
    ),
    DemoStatement(
        "duplicate_forums",
        1,
        "จัดเวทีแลกเปลี่ยนเรียนรู้ระหว่างสมาชิกเครือข่ายอย่างสม่ำเสมอ",
        ((5, 1),),
        merged_into="step_relationships",
    ),
    DemoStatement(
        "duplicate_online",
        1,
        "ใช้เทคโนโลยีและเครือข่ายอินเทอร์เน็ตในการสื่อสารและแลกเปลี่ยนแนวคิดระหว่างสมาชิก",
        ((5, 2),),
        merged_into="step_continuity",
    ),
)

# Round-1 answers set aside in the content analysis, with the researcher's reason.
OUT_OF_SCOPE: tuple[tuple[Source, str], ...] = (
    (
        (12, 3),
        "เป็นข้อเสนอแนะสำหรับการวิจัยครั้งต่อไป ไม่ใช่องค์ประกอบหรือกระบวนการของเครือข่าย"
        "ความร่วมมือ จึงอยู่นอกขอบข่ายของแบบจำลอง",
    ),
    (
        (12, 5),
        "เป็นคำขอถึงผู้วิจัยเรื่องการเผยแพร่ผลการวิจัย ไม่ใช่ความเห็นเกี่ยวกับแบบจำลองเครือข่าย",
    ),
)

# Why experts moved their answer in round 3, in turn.
CHANGE_REASONS = (
    "ทบทวนแล้วเห็นด้วยกับความเห็นส่วนใหญ่ของกลุ่ม เพราะโรงเรียนในกลุ่มของข้าพเจ้าเริ่มทำแล้วได้ผลดี",
    "เดิมกังวลเรื่องงบประมาณ แต่เมื่อองค์กรปกครองส่วนท้องถิ่นร่วมสนับสนุน จึงเห็นว่าเป็นไปได้มากขึ้น",
    "เมื่อพิจารณาค่ามัธยฐานของกลุ่มแล้ว เห็นว่าสำนักงานเขตพื้นที่มีนโยบายรองรับเรื่องนี้อยู่แล้ว",
    "ได้หารือกับผู้บริหารโรงเรียนในเครือข่ายแล้ว เห็นว่าทำได้จริงหากมีผู้ประสานงานที่ชัดเจน",
)
# What experts who saw little chance wrote beside their round-2 answer.
LOW_COMMENTS = (
    "ในบริบทโรงเรียนขนาดเล็กที่ขาดแคลนบุคลากร อาจดำเนินการได้ยาก",
    "ขึ้นอยู่กับการสนับสนุนของผู้บริหารและสำนักงานเขตพื้นที่เป็นสำคัญ",
)


class RatingRound(NamedTuple):
    number: int
    invited_on: datetime.date
    # Day of return after the invitation, per respondent (in RESPONDENTS' order).
    return_days: tuple[int, ...]


RATING_ROUNDS = (
    # 8 to 25 March 2019.
    RatingRound(
        2, datetime.date(2019, 3, 8), (1, 2, 2, 3, 3, 4, 5, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15, 16)
    ),
    # 30 March to 24 April 2019.
    RatingRound(
        3,
        datetime.date(2019, 3, 30),
        (1, 2, 3, 3, 4, 6, 7, 8, 9, 10, 12, 13, 15, 17, 19, 21, 23, 24),
    ),
)


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=BANGKOK)


def _pool_text(source: Source) -> str:
    question, answer = source
    return ANSWER_POOLS[question][answer]


# --------------------------------------------------------------------------- coding


def demo_statements(study: Study) -> dict[str, Statement] | None:
    """The study's active demo statements by key, or None unless all of them are there."""
    active = [s for s in STATEMENTS if not s.merged_into]
    by_text = {
        statement.text: statement
        for statement in Statement.objects.filter(study=study, status=Statement.Status.ACTIVE)
    }
    found = {s.key: by_text.get(s.text) for s in active}
    return None if None in found.values() else found


def round_one_coding_load(
    *, study: Study, round_one: Round, domains: list[Domain], created: Counter
) -> None:
    """Turn round 1's answers into the demo statements, with their sources.

    Only done for a closed round 1 with answers in a study that has no statement yet: once
    the researcher has started coding, the statements are theirs.
    """
    if (
        round_one.status != Round.Status.CLOSED
        or Statement.objects.filter(study=study).exists()
        or not OpenAnswer.objects.filter(question__delphi_round=round_one).exists()
    ):
        return
    answers: dict[tuple[int, str], list[int]] = {}
    for pk, order, text in OpenAnswer.objects.filter(question__delphi_round=round_one).values_list(
        "pk", "question__order", "text"
    ):
        answers.setdefault((order, text), []).append(pk)

    def answer_ids(source: Source) -> list[int]:
        return answers.get((source[0] + 1, _pool_text(source)), [])

    orders: Counter = Counter()

    def make(demo: DemoStatement, **fields) -> Statement:
        orders[demo.domain] += 1
        return Statement(
            study=study,
            domain=domains[demo.domain],
            order=orders[demo.domain],
            text=demo.text,
            origin=Statement.Origin.ANSWERS,
            **fields,
        )

    active = [demo for demo in STATEMENTS if not demo.merged_into]
    merged = [demo for demo in STATEMENTS if demo.merged_into]
    rows = dict(
        zip(
            (d.key for d in active),
            Statement.objects.bulk_create(make(d) for d in active),
            strict=True,
        )
    )
    rows |= zip(
        (d.key for d in merged),
        Statement.objects.bulk_create(
            make(d, status=Statement.Status.MERGED, merged_into=rows[d.merged_into]) for d in merged
        ),
        strict=True,
    )
    links: dict[tuple[int, int], StatementSource] = {}
    for demo in STATEMENTS:
        # A merged duplicate keeps its own answers, and the statement it joined gets them too.
        owners = [rows[demo.key]] + ([rows[demo.merged_into]] if demo.merged_into else [])
        for source in demo.sources:
            for answer_id in answer_ids(source):
                for owner in owners:
                    links[(owner.pk, answer_id)] = StatementSource(
                        statement=owner, answer_id=answer_id
                    )
    StatementSource.objects.bulk_create(links.values())
    set_aside = 0
    for source, reason in OUT_OF_SCOPE:
        set_aside += OpenAnswer.objects.filter(pk__in=answer_ids(source)).update(
            out_of_scope_reason=reason
        )
    created["statements"] += len(rows)
    created["merged"] += len(merged)
    created["sources"] += len(links)
    created["out_of_scope"] += set_aside


# --------------------------------------------------------------------------- ratings


def round_two_values(demo: DemoStatement, index: int) -> list[int]:
    """Each respondent's round-2 answer (in RESPONDENTS' order), from the counts."""
    values = [point for point, count in enumerate(demo.round_two, start=1) for _ in range(count)]
    respondents = list(range(len(RESPONDENTS)))
    # A fixed shuffle per statement: who is lenient differs from statement to statement.
    random.Random(20190308 + index).shuffle(respondents)
    answers = [0] * len(RESPONDENTS)
    for respondent, value in zip(respondents, values, strict=True):
        answers[respondent] = value
    return answers


def round_three_values(
    demo: DemoStatement, before: list[int], index: int
) -> tuple[list[int], dict[int, str]]:
    """Round-3 answers: round 2's with the statement's moves; and the movers' reasons."""
    after = list(before)
    reasons = {}
    order = list(range(len(RESPONDENTS)))
    random.Random(20190330 + index).shuffle(order)
    for move, (source, target) in enumerate(demo.round_three):
        mover = next(r for r in order if after[r] == source and r not in reasons)
        after[mover] = target
        reasons[mover] = CHANGE_REASONS[(index + move) % len(CHANGE_REASONS)]
    return after, reasons


def _untouched_draft(delphi_round: Round | None) -> bool:
    return (
        delphi_round is not None
        and delphi_round.is_draft
        and not delphi_round.items.exists()
        and not delphi_round.invitations.exists()
        and not delphi_round.submissions.exists()
    )


def _answer_round(
    *,
    delphi_round: Round,
    plan: RatingRound,
    statements: dict[str, Statement],
    answers: dict[str, list[int]],
    comments: dict[tuple[str, int], str],
    reasons: dict[tuple[str, int], str],
    user: AbstractUser,
    created: Counter,
) -> None:
    """Items, invitations, the 18 submissions with their ratings; then close and freeze."""
    active = [demo for demo in STATEMENTS if not demo.merged_into]
    items = RoundItem.objects.bulk_create(
        RoundItem(delphi_round=delphi_round, statement=statements[demo.key], order=order)
        for order, demo in enumerate(active, start=1)
    )
    experts = {expert.code: expert for expert in delphi_round.panel.experts.all()}
    respondents = [r for r in RESPONDENTS if r.code in experts]
    returned = {
        r.code: plan.invited_on + datetime.timedelta(days=days)
        for r, days in zip(RESPONDENTS, plan.return_days, strict=True)
    }
    invited_at = _at(plan.invited_on, 9)
    Invitation.objects.bulk_create(
        Invitation(
            delphi_round=delphi_round,
            expert=expert,
            send_status=Invitation.SendStatus.SENT,
            sent_at=invited_at + datetime.timedelta(minutes=minute),
            opened_at=_at(returned[code], 19) if code in returned and _web(code) else None,
            reminders_sent=2 if code in NON_RESPONDENTS else 0,
            last_reminded_at=(
                _at(plan.invited_on + datetime.timedelta(days=10), 9)
                if code in NON_RESPONDENTS
                else None
            ),
        )
        for minute, (code, expert) in enumerate(sorted(experts.items()))
    )
    submissions = Submission.objects.bulk_create(
        Submission(
            delphi_round=delphi_round,
            expert=experts[r.code],
            status=Submission.Status.SUBMITTED,
            channel=r.channel,
            entered_by=None if r.channel == Channel.WEB else user,
            submitted_at=_at(returned[r.code], 20, 30),
        )
        for r in respondents
    )
    for respondent, submission in zip(respondents, submissions, strict=True):
        submission.started_at = _at(returned[respondent.code], 19)
        submission.updated_at = submission.submitted_at
    Submission.objects.bulk_update(submissions, ["started_at", "updated_at"])
    index = {r.code: n for n, r in enumerate(RESPONDENTS)}
    ratings = [
        Rating(
            submission=submission,
            item=item,
            value=answers[demo.key][index[respondent.code]],
            comment=comments.get((demo.key, index[respondent.code]), ""),
            reason=reasons.get((demo.key, index[respondent.code]), ""),
        )
        for respondent, submission in zip(respondents, submissions, strict=True)
        for demo, item in zip(active, items, strict=True)
    ]
    Rating.objects.bulk_create(ratings)
    # Ratings keep the day they came back, like their submission.
    Rating.objects.filter(submission__delphi_round=delphi_round).update(
        updated_at=Subquery(
            Submission.objects.filter(pk=OuterRef("submission_id")).values("submitted_at")[:1]
        )
    )
    delphi_round.status = Round.Status.CLOSED
    delphi_round.save(update_fields=["status"])
    created["results"] += round_results_freeze(delphi_round=delphi_round)
    created["rating_invitations"] += len(experts)
    created["rating_submissions"] += len(submissions)
    created["ratings"] += len(ratings)


def _web(code: str) -> bool:
    return any(r.code == code and r.channel == Channel.WEB for r in RESPONDENTS)


def rating_rounds_load(
    *, study: Study, rounds: dict[int, Round], user: AbstractUser, created: Counter
) -> None:
    """Rounds 2 and 3 as the paper ran them: invited, answered by 18 of 21, closed, frozen.

    Each round is filled only while it is an untouched draft and the demo's statements are
    all active in the study; round 3 also needs round 2 to have been filled by the demo.
    """
    statements = demo_statements(study)
    if statements is None:
        return
    active = [demo for demo in STATEMENTS if not demo.merged_into]
    round_two = {d.key: round_two_values(d, n) for n, d in enumerate(active)}
    comments = {
        (d.key, respondent): LOW_COMMENTS[(n + respondent) % len(LOW_COMMENTS)]
        for n, d in enumerate(active)
        for respondent, value in enumerate(round_two[d.key])
        if value <= 2
    }
    round_three, reasons = {}, {}
    for n, demo in enumerate(active):
        round_three[demo.key], movers = round_three_values(demo, round_two[demo.key], n)
        reasons |= {(demo.key, respondent): reason for respondent, reason in movers.items()}

    second, third = rounds.get(2), rounds.get(3)
    if _untouched_draft(second):
        # The protocol's rules were fixed when the first rating round opened.
        protocol_lock(study=study, actor=user, round_number=2)
        Study.objects.filter(pk=study.pk).update(
            rules_locked_at=_at(RATING_ROUNDS[0].invited_on, 9)
        )
        _answer_round(
            delphi_round=second,
            plan=RATING_ROUNDS[0],
            statements=statements,
            answers=round_two,
            comments=comments,
            reasons={},
            user=user,
            created=created,
        )
    filled_by_demo = (
        second is not None
        and second.status == Round.Status.CLOSED
        and second.items.filter(statement__in=statements.values()).count() == len(active)
    )
    if filled_by_demo and _untouched_draft(third) and third.previous_round_id == second.pk:
        _answer_round(
            delphi_round=third,
            plan=RATING_ROUNDS[1],
            statements=statements,
            answers=round_three,
            comments={},
            reasons=reasons,
            user=user,
            created=created,
        )
