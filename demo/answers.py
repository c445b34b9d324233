"""Round 1 of the demo study as it ended in the paper: 21 specialists invited on
22 January 2562 B.E. (2019), 18 questionnaires returned by 25 February.

The answers are invented but say what the paper's results section says the specialists
wrote (the six steps of building a network, its five components, the seven areas of
cooperative administration, the four underlying concepts), in the words a Thai school
director or supervisor would use. A few are deliberately outside the study's scope or say
the same thing twice, so the content analysis of round 1 has something to remove.

Answers came back by post, LINE, e-mail, by phone and in an interview as in the paper; the
researcher keyed those in (proxy entry). The others answered through their personal link.
"""

import datetime
from collections import Counter
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.contrib.auth.models import AbstractUser
from django.db.models import OuterRef, Subquery

from panels.models import Expert
from rounds.models import Channel, Invitation, OpenAnswer, Round, Submission

BANGKOK = ZoneInfo("Asia/Bangkok")

# Three of the 21 never returned round 1 (the paper: 18 of 21), despite two reminders.
NON_RESPONDENTS = ("E07", "E13", "E19")


class Respondent(NamedTuple):
    code: str
    channel: str
    returned: datetime.date
    reminded: bool = False


RESPONDENTS = (
    Respondent("E01", Channel.WEB, datetime.date(2019, 1, 24)),
    Respondent("E02", Channel.PAPER, datetime.date(2019, 2, 4)),
    Respondent("E03", Channel.LINE, datetime.date(2019, 1, 30)),
    Respondent("E04", Channel.WEB, datetime.date(2019, 1, 23)),
    Respondent("E05", Channel.WEB, datetime.date(2019, 1, 25)),
    Respondent("E06", Channel.LINE, datetime.date(2019, 2, 1)),
    Respondent("E08", Channel.PAPER, datetime.date(2019, 2, 8)),
    Respondent("E09", Channel.WEB, datetime.date(2019, 1, 28)),
    Respondent("E10", Channel.EMAIL, datetime.date(2019, 2, 5)),
    Respondent("E11", Channel.WEB, datetime.date(2019, 1, 29)),
    Respondent("E12", Channel.PAPER, datetime.date(2019, 2, 12), reminded=True),
    Respondent("E14", Channel.EMAIL, datetime.date(2019, 2, 6)),
    Respondent("E15", Channel.WEB, datetime.date(2019, 1, 26)),
    Respondent("E16", Channel.WEB, datetime.date(2019, 2, 3)),
    Respondent("E17", Channel.PAPER, datetime.date(2019, 2, 18), reminded=True),
    Respondent("E18", Channel.LINE, datetime.date(2019, 2, 11), reminded=True),
    # Late ones, followed up by phone and in person as the paper describes.
    Respondent("E20", Channel.PHONE, datetime.date(2019, 2, 22), reminded=True),
    Respondent("E21", Channel.INTERVIEW, datetime.date(2019, 2, 25), reminded=True),
)

INVITED_AT = datetime.datetime(2019, 1, 22, 9, 0, tzinfo=BANGKOK)
FIRST_REMINDER_AT = datetime.datetime(2019, 2, 8, 9, 0, tzinfo=BANGKOK)
SECOND_REMINDER_AT = datetime.datetime(2019, 2, 18, 9, 0, tzinfo=BANGKOK)

# One pool per round-1 question, in the questionnaire's order (services.DOMAINS, then the
# closing question). Each respondent gives two or three of its pool's answers.
ANSWER_POOLS: tuple[tuple[str, ...], ...] = (
    # 1. Underlying principles
    (
        "ยึดหลักการเครือข่าย คือ สมาชิกเข้าร่วมด้วยความสมัครใจ มีเป้าหมายร่วมกัน และได้รับประโยชน์ร่วมกันทุกฝ่าย",
        "หลักการมีส่วนร่วม ให้ทุกฝ่ายร่วมคิด ร่วมวางแผน ร่วมทำ และร่วมรับผิดชอบ "
        "เพราะการจัดการศึกษาไม่ใช่หน้าที่ของโรงเรียนฝ่ายเดียว",
        "หลักการเสริมพลังอำนาจ ให้ครูและสมาชิกเครือข่ายมีความมั่นใจ กล้าคิด กล้าตัดสินใจในการพัฒนางาน",
        "ยึดคุณภาพการศึกษาเป็นเป้าหมายสูงสุด ทุกกิจกรรมของเครือข่ายต้องส่งผลถึงคุณภาพผู้เรียน",
        "ทำงานบนพื้นฐานของความไว้วางใจและการยอมรับซึ่งกันและกัน ไม่ใช่การสั่งการจากหน่วยงานที่สูงกว่า",
        "แบ่งปันทรัพยากร ความรู้ และประสบการณ์ระหว่างโรงเรียน โดยเฉพาะโรงเรียนขนาดเล็กที่ขาดแคลนครูและงบประมาณ",
        "สมาชิกมีความเสมอภาค ทุกโรงเรียนในเครือข่ายมีฐานะเท่าเทียมกัน ไม่ว่าจะเป็นโรงเรียนขนาดใหญ่หรือขนาดเล็ก",
    ),
    # 2. What education quality means
    (
        "คุณภาพการศึกษา คือ ผู้เรียนมีคุณลักษณะตามจุดมุ่งหมายของหลักสูตรแกนกลาง"
        "การศึกษาขั้นพื้นฐาน ทั้งด้านความรู้ ทักษะ และคุณธรรม",
        "พิจารณาจากผลสัมฤทธิ์ทางการเรียน ผลการทดสอบทางการศึกษาระดับชาติขั้นพื้นฐาน (O-NET) "
        "และผลการประเมินคุณภาพผู้เรียน (NT)",
        "นักเรียนอ่านออก เขียนได้ คิดเลขเป็น และคิดวิเคราะห์ได้ ซึ่งเป็นพื้นฐานสำคัญที่สุดของระดับประถมศึกษา",
        "ผลการประเมินคุณภาพภายนอกของ สมศ. ตามตัวชี้วัดที่กำหนด ควบคู่กับผลการประกันคุณภาพภายในของสถานศึกษา",
        "คุณภาพของกระบวนการจัดการเรียนรู้และการบริหารจัดการ ไม่ควรดูเฉพาะคะแนนสอบ",
        "ความพึงพอใจของผู้ปกครองและชุมชนต่อการจัดการศึกษาของโรงเรียน",
        "ผู้เรียนมีทักษะชีวิต มีสุขภาวะที่ดี และนำความรู้ไปใช้ในชีวิตประจำวันได้",
    ),
    # 3. Participation and empowerment of members
    (
        "องค์กรปกครองส่วนท้องถิ่นสนับสนุนงบประมาณ อาคารสถานที่ และแหล่งเรียนรู้ในชุมชน",
        "ชุมชนและปราชญ์ชาวบ้านร่วมเป็นวิทยากรถ่ายทอดภูมิปัญญาท้องถิ่นให้นักเรียน",
        "สถาบันอุดมศึกษาช่วยพัฒนาวิชาชีพครูและผู้บริหาร และให้คำปรึกษาเชิงวิชาการ",
        "ผู้ปกครองร่วมกำหนดทิศทางการพัฒนาโรงเรียนผ่านคณะกรรมการสถานศึกษาขั้นพื้นฐาน",
        "มอบอำนาจการตัดสินใจให้คณะทำงานของเครือข่ายอย่างชัดเจน และสนับสนุนทรัพยากรให้เพียงพอ",
        "ให้สมาชิกทุกฝ่ายร่วมแสดงความคิดเห็น ร่วมวางแผน และร่วมประเมินผลการดำเนินงานของเครือข่าย",
        "ยกย่องเชิดชูเกียรติสมาชิกและหน่วยงานที่มีผลงานดีเด่น เพื่อสร้างขวัญและกำลังใจ",
    ),
    # 4. Steps of building the network
    (
        "เริ่มจากสร้างความตระหนักถึงความจำเป็นในการสร้างเครือข่ายแก่บุคลากรในโรงเรียนก่อน",
        "ประสานหน่วยงานและองค์กรที่เกี่ยวข้อง แล้วจัดทำข้อตกลงความร่วมมือร่วมกัน",
        "ขั้นตอนควรเป็น ตระหนัก ประสาน สร้างพันธสัญญา บริหารจัดการ พัฒนาความสัมพันธ์ และรักษาความสัมพันธ์ให้ต่อเนื่อง",
        "ศึกษาสภาพปัญหาและความต้องการของโรงเรียนในเครือข่ายก่อน เพื่อกำหนดเป้าหมายร่วมกัน",
        "กำหนดโครงสร้าง บทบาทหน้าที่ และผู้ประสานงานของเครือข่ายให้ชัดเจนตั้งแต่ต้น",
        "หลังดำเนินงานควรประเมินผลและถอดบทเรียน แล้วนำมาปรับปรุงการทำงานในปีต่อไป",
    ),
    # 5. Coordinating partners and a shared commitment
    (
        "ประสานงานด้วยวิธีการที่หลากหลายตามบริบท ทั้งหนังสือราชการ การพบปะพูดคุย และกลุ่มไลน์",
        "แต่งตั้งคณะทำงานยกร่างพันธสัญญาโดยให้ทุกฝ่ายที่เกี่ยวข้องมีส่วนร่วม (Partnership Agreement)",
        "กำหนดเป้าหมาย วัตถุประสงค์ และแนวทางการดำเนินงานให้เป็นรูปธรรม สามารถปฏิบัติได้จริง",
        "จัดทำบันทึกข้อตกลงความร่วมมือ (MOU) ระหว่างโรงเรียน สำนักงานเขตพื้นที่ และองค์กรปกครองส่วนท้องถิ่น",
        "กำหนดปฏิทินการดำเนินงานตามพันธสัญญาให้ชัดเจน และแจ้งให้สมาชิกทุกคนทราบ",
        "ประสานหน่วยงานที่เป็นแหล่งทรัพยากรทางวิชาการ เช่น มหาวิทยาลัยราชภัฏ และศึกษานิเทศก์",
    ),
    # 6. Developing and keeping relationships
    (
        "สร้างความสัมพันธ์แบบกัลยาณมิตร ยอมรับความคิดเห็นที่แตกต่างเพื่อลดความขัดแย้ง",
        "จัดเวทีแลกเปลี่ยนเรียนรู้ระหว่างสมาชิกอย่างสม่ำเสมอ อย่างน้อยภาคเรียนละครั้ง",
        "ใช้เทคโนโลยีและเครือข่ายอินเทอร์เน็ต เช่น กลุ่มไลน์ เฟซบุ๊ก ในการสื่อสารและแลกเปลี่ยนแนวคิด",
        "จัดกิจกรรมสัมพันธ์ร่วมกัน เช่น กีฬาเครือข่าย งานวิชาการ และการศึกษาดูงาน",
        "สร้างความเชื่อมั่นโดยปฏิบัติตามข้อตกลงอย่างจริงจัง และเปิดเผยผลการดำเนินงานให้สมาชิกทราบ",
        "เมื่อผู้บริหารย้าย ควรมีการส่งต่องานเครือข่ายเพื่อให้การดำเนินงานไม่สะดุด",
    ),
    # 7. Key activities of the network
    (
        "จัดทำข้อมูลสารสนเทศของเครือข่ายเพื่อใช้ในการบริหารจัดการและการพัฒนา",
        "สื่อสารข้อมูลสารสนเทศระหว่างสมาชิกอย่างรวดเร็วและทั่วถึง",
        "ใช้ทรัพยากรร่วมกัน เช่น ครูที่มีความเชี่ยวชาญเฉพาะวิชา สื่อการสอน และห้องปฏิบัติการ",
        "จัดกิจกรรมพัฒนาผู้เรียนร่วมกัน เช่น ค่ายวิชาการ การแข่งขันทักษะ และการเตรียมความพร้อมก่อนสอบ O-NET",
        "มีแผนปฏิบัติการของเครือข่ายที่สอดคล้องกับแผนของสำนักงานเขตพื้นที่การศึกษา",
        "ประชุมคณะกรรมการเครือข่ายอย่างสม่ำเสมอเพื่อติดตามงาน",
    ),
    # 8. Developing and empowering members
    (
        "จัดกิจกรรมแลกเปลี่ยนเรียนรู้อย่างต่อเนื่องด้วยวิธีการที่หลากหลาย เช่น ชุมชนการเรียนรู้ทางวิชาชีพ (PLC)",
        "เปิดโอกาสให้สมาชิกแสดงความคิดเห็นอย่างกว้างขวางผ่านช่องทางต่าง ๆ",
        "ส่งเสริมให้ทุกฝ่ายปฏิบัติงานอย่างเต็มที่ตามศักยภาพ และสนับสนุนทรัพยากรอย่างเพียงพอ",
        "สร้างบรรยากาศการทำงานที่ดีบนพื้นฐานความไว้วางใจซึ่งกันและกัน",
        "อบรมเชิงปฏิบัติการ ศึกษาดูงานโรงเรียนต้นแบบ และใช้ระบบพี่เลี้ยง (Coaching and Mentoring)",
        "มอบหมายงานที่ท้าทายตามความถนัด และให้อำนาจตัดสินใจในงานที่รับผิดชอบ",
    ),
    # 9. Qualities of leaders and members; reflecting on the work
    (
        "ผู้นำต้องมีวิสัยทัศน์ และถ่ายทอดแนวคิดไปสู่การปฏิบัติได้",
        "วางแผนการดำเนินงานให้เหมาะสมกับเป้าหมายขององค์กร",
        "ยอมรับความคิดเห็นของเพื่อนร่วมเครือข่าย มีความเสียสละ และมีจิตอาสา",
        "มีทักษะการสื่อสารและการประสานงาน สร้างแรงจูงใจให้สมาชิกได้",
        "สะท้อนผลการปฏิบัติงานโดยประชุมสรุปผลและถอดบทเรียนทุกภาคเรียน",
        "รายงานผลการดำเนินงานของเครือข่ายต่อสำนักงานเขตพื้นที่และชุมชนอย่างโปร่งใส",
    ),
    # 10. Curriculum, learning process, measurement and evaluation
    (
        "พัฒนาหลักสูตรสถานศึกษาให้สอดคล้องกับมาตรฐานการศึกษาของชาติ และหลักสูตรแกนกลางการศึกษาขั้นพื้นฐาน",
        "ร่วมกันพัฒนาหลักสูตรท้องถิ่นที่สะท้อนภูมิปัญญาและบริบทของชุมชน",
        "จัดกิจกรรมการเรียนการสอนโดยยึดมาตรฐานและตัวชี้วัด ด้วยความร่วมมือของเครือข่ายในสาขาวิชาที่ต้องการ",
        "แลกเปลี่ยนครูผู้สอนในวิชาที่ขาดแคลน เช่น ภาษาอังกฤษ คณิตศาสตร์ และวิทยาศาสตร์",
        "พัฒนาเครื่องมือวัดและประเมินผลที่หลากหลาย สอดคล้องกับสมรรถนะของหลักสูตร",
        "ร่วมกันจัดทำข้อสอบกลาง และวิเคราะห์ผลการทดสอบ O-NET และ NT เพื่อนำไปปรับปรุงการสอน",
    ),
    # 11. Media, innovation and technology; supervision and follow-up
    (
        "พัฒนาระบบเทคโนโลยีสารสนเทศที่เอื้อต่อการจัดการเรียนรู้และการบริหารจัดการศึกษา",
        "จัดตั้งคลังสื่อและนวัตกรรมของเครือข่ายให้โรงเรียนยืมใช้ร่วมกัน",
        "ส่งเสริมให้ครูผลิตสื่อและนวัตกรรม และเผยแพร่ผลงานในเวทีของเครือข่าย",
        "วางแผนการนิเทศร่วมกัน และสร้างเครื่องมือนิเทศที่ใช้ได้ทั้งเครือข่าย",
        "นิเทศแบบกัลยาณมิตร ให้ครูนิเทศกันเองภายในเครือข่ายร่วมกับศึกษานิเทศก์",
        "ติดตามและประเมินผลการใช้สื่อและเทคโนโลยี เช่น การจัดการเรียนการสอนทางไกลผ่านดาวเทียม (DLTV)",
    ),
    # 12. Quality assurance and the management system
    (
        "สถานศึกษากำหนดมาตรฐานการศึกษาที่เหมาะสม สอดคล้องกับมาตรฐานการศึกษาและบริบทของตนเอง",
        "ร่วมกันเตรียมความพร้อมรับการประเมินคุณภาพภายนอกรอบสี่",
        "จัดทำรายงานการประเมินตนเอง (SAR) โดยมีเพื่อนในเครือข่ายช่วยตรวจสอบ",
        "เปิดโอกาสให้ทุกฝ่ายเข้ามามีส่วนร่วมในการติดตามและประเมินผลการดำเนินงาน",
        "บริหารจัดการศึกษาบนพื้นฐานของข้อมูลสารสนเทศที่ถูกต้อง เป็นจริง และทันสมัย",
        "บริหารงานทั้ง 4 ด้าน คือ วิชาการ งบประมาณ บุคคล และบริหารทั่วไป แบบมีส่วนร่วมของเครือข่าย",
    ),
    # 13. Other suggestions (some outside the study's scope, on purpose)
    (
        "สำนักงานเขตพื้นที่การศึกษาควรจัดสรรงบประมาณสนับสนุนการดำเนินงานของเครือข่ายความร่วมมือ",
        "ควรขยายเครือข่ายไปสู่สถาบันอุดมศึกษาในพื้นที่ เพื่อช่วยพัฒนาวิชาชีพครูและผู้บริหาร",
        "ควรลดภาระงานเอกสารของครู เพื่อให้มีเวลาสอนและทำกิจกรรมของเครือข่ายมากขึ้น",
        "ควรวิจัยติดตามผลการใช้แบบจำลองในโรงเรียนจริง แล้วนำมาปรับปรุงให้สมบูรณ์ยิ่งขึ้น",
        "ควรให้ความสำคัญกับโรงเรียนขนาดเล็ก ซึ่งได้รับประโยชน์จากเครือข่ายมากที่สุด",
        "ขอให้ผู้วิจัยเผยแพร่ผลการวิจัยให้โรงเรียนในเขตพื้นที่ได้รับทราบ",
    ),
)


def answers_for(respondent: int, question: int) -> list[str]:
    """Two or three different answers of the `respondent`-th specialist to question `question`.

    Both are 0-based. Deterministic, so every load writes the same answers, and varied, so
    that neighbouring specialists do not give identical sets.
    """
    pool = ANSWER_POOLS[question]
    count = 2 + (respondent + question) % 2
    start = (3 * respondent + question) % len(pool)
    return [pool[(start + offset) % len(pool)] for offset in range(count)]


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=BANGKOK)


def round_one_answers_load(*, delphi_round: Round, user: AbstractUser, created: Counter) -> None:
    """Invite the 21 specialists to round 1, add the 18 returned questionnaires, close it.

    Only done while round 1 is still the untouched draft (no invitation, no submission):
    once a round has left that state it belongs to the researcher, and a second load adds
    nothing. Rows are written directly because this is data loading, not an expert
    answering; submissions the researcher keyed in record the demo researcher and channel.
    """
    if (
        not delphi_round.is_draft
        or delphi_round.invitations.exists()
        or delphi_round.submissions.exists()
    ):
        return
    experts = {expert.code: expert for expert in delphi_round.panel.experts.all()}
    questions = {q.order: q for q in delphi_round.questions.all()}
    by_code = {respondent.code: respondent for respondent in RESPONDENTS}

    invitations = []
    for minute, (code, expert) in enumerate(sorted(experts.items())):
        respondent = by_code.get(code)
        reminders = 2 if code in NON_RESPONDENTS else int(bool(respondent and respondent.reminded))
        opened = respondent is not None and respondent.channel == Channel.WEB
        invitations.append(
            Invitation(
                delphi_round=delphi_round,
                expert=expert,
                send_status=Invitation.SendStatus.SENT,
                sent_at=INVITED_AT + datetime.timedelta(minutes=minute),
                opened_at=_at(respondent.returned, 19) if opened else None,
                reminders_sent=reminders,
                last_reminded_at={1: FIRST_REMINDER_AT, 2: SECOND_REMINDER_AT}.get(reminders),
            )
        )
    Invitation.objects.bulk_create(invitations)
    created["invitations"] += len(invitations)

    respondents = [r for r in RESPONDENTS if r.code in experts]
    submissions = Submission.objects.bulk_create(
        Submission(
            delphi_round=delphi_round,
            expert=experts[r.code],
            status=Submission.Status.SUBMITTED,
            channel=r.channel,
            entered_by=None if r.channel == Channel.WEB else user,
            submitted_at=_at(r.returned, 20, 30),
        )
        for r in respondents
    )
    answers = []
    for index, (respondent, submission) in enumerate(zip(respondents, submissions, strict=True)):
        # started_at/updated_at are automatic on insert; the paper's dates are set after.
        submission.started_at = _at(respondent.returned, 19)
        submission.updated_at = submission.submitted_at
        for number in range(len(ANSWER_POOLS)):
            question = questions.get(number + 1)
            if question is None:
                continue
            for position, text in enumerate(answers_for(index, number), start=1):
                answers.append(
                    OpenAnswer(
                        submission=submission, question=question, position=position, text=text
                    )
                )
    Submission.objects.bulk_update(submissions, ["started_at", "updated_at"])
    created["submissions"] += len(submissions)
    OpenAnswer.objects.bulk_create(answers)
    created["answers"] += len(answers)

    # Answers keep the day they came back, like their submission.
    OpenAnswer.objects.filter(submission__delphi_round=delphi_round).update(
        updated_at=Subquery(
            Submission.objects.filter(pk=OuterRef("submission_id")).values("submitted_at")[:1]
        )
    )
    # Those who used their personal link went through its consent page first.
    consented = []
    for respondent in respondents:
        expert = experts[respondent.code]
        if respondent.channel == Channel.WEB and expert.consent_given_at is None:
            expert.consent_given_at = _at(respondent.returned, 19)
            consented.append(expert)
    Expert.objects.bulk_update(consented, ["consent_given_at"])

    delphi_round.status = Round.Status.CLOSED
    delphi_round.save(update_fields=["status"])
