"""Merging duplicate statements and splitting a statement that says two things."""

from collections.abc import Iterable, Sequence

from django.db import transaction
from django.db.models import F

from panels.services import audit
from rounds.models import Domain, OpenAnswer, Statement, StatementSource

from .checks import (
    check_active,
    check_domain,
    check_not_in_use,
    clean_text,
    excerpt,
    leave_draft_rounds,
    link_sources,
    locked_statements,
    next_order,
    refusal,
    source_ids,
)


@transaction.atomic
def statements_merge(*, target: Statement, others: Iterable[Statement], actor) -> Statement:
    """Merge duplicates into `target`: each other statement becomes "merged into" the target.

    Sources are kept: every answer an absorbed statement came from is also linked to the
    target, so each answer still leads to the wording that now stands for it, and the absorbed
    statement keeps its own links and its pointer (`merged_into`) as the record of the merge.
    Chains are kept as they were (A merged into B, later B into C: A still points at B).
    Refuses merging across studies (`merge_other_study`), into itself (`merge_self`), into a
    merged or set-aside statement (`merge_into_retired`), a statement merged before
    (`already_merged`) or one already sent to experts (`in_use`). Absorbed statements leave
    any draft round.
    """
    other_ids = [other.pk for other in others]
    if not other_ids:
        raise refusal("merge_empty")
    if target.pk in other_ids:
        raise refusal("merge_self")
    locked = locked_statements([target.pk, *other_ids])
    target = locked[target.pk]
    if target.status != Statement.Status.ACTIVE:
        raise refusal("merge_into_retired", statement=excerpt(target.text))
    absorbed = [locked[pk] for pk in dict.fromkeys(other_ids)]
    for other in absorbed:
        if other.study_id != target.study_id:
            raise refusal("merge_other_study")
        if other.status == Statement.Status.MERGED:
            raise refusal("already_merged", statement=excerpt(other.text))
        check_not_in_use(other)
    sources: list[int] = []
    for other in absorbed:
        sources.extend(source_ids(other))
        other.status = Statement.Status.MERGED
        other.merged_into = target
    Statement.objects.bulk_update(absorbed, ["status", "merged_into"])
    added = link_sources(target, sources)
    left = leave_draft_rounds([other.pk for other in absorbed])
    audit(
        study=target.study,
        actor=actor,
        action="coding.merge",
        target=target.pk,
        merged=[other.pk for other in absorbed],
        sources_added=added,
        removed_from_draft_rounds=left,
    )
    return target


@transaction.atomic
def statement_split(
    *,
    statement: Statement,
    parts: Sequence[tuple[str, Domain | None, Iterable[OpenAnswer]]],
    actor,
) -> list[Statement]:
    """Split a statement that says two things into several; returns the parts, first = original.

    Decision: the original statement *becomes the first part* (its wording, domain and sources
    are replaced by part one's) and each further part is a new statement with the same origin,
    placed right after the original when in the same domain. Keeping the original's identity
    means nothing that points at it breaks (a draft round's item, statements merged into it).
    The trail stays visible: every part takes its sources from the original's, every original
    source must go to at least one part (`split_sources_lost`), and the audit event
    "coding.split" names the original and the new parts (the workspace shows "split from").
    Refuses fewer than two parts (`split_too_few`), answers the original did not come from
    (`split_foreign_source`), a merged or set-aside statement (`not_active`) and a statement
    already sent to experts (`in_use`); each part's wording and domain are checked like a
    new statement's.
    """
    if len(parts) < 2:
        raise refusal("split_too_few")
    locked = locked_statements([statement.pk])[statement.pk]
    check_active(locked)
    check_not_in_use(locked)
    study = locked.study
    original_sources = set(source_ids(locked))
    cleaned: list[tuple[str, Domain | None, set[int]]] = []
    for text, domain, answers in parts:
        text = clean_text(text)
        check_domain(study, domain)
        answer_ids = {answer.pk for answer in answers}
        if not answer_ids <= original_sources:
            raise refusal("split_foreign_source")
        cleaned.append((text, domain, answer_ids))
    lost = original_sources - set().union(*(ids for _t, _d, ids in cleaned))
    if lost:
        codes = (
            OpenAnswer.objects.filter(pk__in=lost)
            .order_by("submission__expert__code")
            .values_list("submission__expert__code", flat=True)
        )
        raise refusal("split_sources_lost", codes=", ".join(dict.fromkeys(codes)))

    first_text, first_domain, first_sources = cleaned[0]
    old_text = locked.text
    if (first_domain.pk if first_domain else None) != locked.domain_id:
        locked.order = next_order(study, first_domain)
    locked.text = first_text
    locked.domain = first_domain
    locked.version += 1  # an edit form opened before the split is stale now
    locked.full_clean()
    locked.save(update_fields=["text", "domain", "order", "version"])
    StatementSource.objects.filter(statement=locked).exclude(answer_id__in=first_sources).delete()

    following = [part for part in cleaned[1:] if part[1] == first_domain]
    if following:
        # Make room right after the original, so the parts read together.
        Statement.objects.filter(study=study, domain=first_domain, order__gt=locked.order).update(
            order=F("order") + len(following)
        )
    created: list[Statement] = []
    next_in_place = locked.order + 1
    for text, domain, answer_ids in cleaned[1:]:
        if domain == first_domain:
            order, next_in_place = next_in_place, next_in_place + 1
        else:
            order = next_order(study, domain)
        part = Statement(study=study, domain=domain, text=text, order=order, origin=locked.origin)
        part.full_clean()
        part.save()
        link_sources(part, answer_ids)
        created.append(part)
    audit(
        study=study,
        actor=actor,
        action="coding.split",
        statement=locked.pk,
        old_text=old_text,
        parts=[locked.pk, *(part.pk for part in created)],
    )
    return [locked, *created]
