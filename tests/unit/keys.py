"""Build a question's own key, and a surely wrong answer, from the question itself."""

from socratiq_local.quiz.models import AnyQuestion


def right_answer(q: AnyQuestion) -> object:
    match q.type:
        case "single_choice":
            return next(c.id for c in q.choices if c.correct)
        case "multiple_choice":
            return [c.id for c in q.choices if c.correct]
        case "true_false":
            return q.answer
        case "fill_blank":
            return [b.accepted[0] for b in q.blanks]
        case "short_answer":
            return {"rating": "good", "text": "My own answer."}
        case "ordering":
            return [i.id for i in q.items]
        case "matching":
            return {p.id: p.id for p in q.pairs}
        case "numeric":
            if q.value is not None:
                return q.value
            assert q.min is not None and q.max is not None
            return (q.min + q.max) / 2


def wrong_answer(q: AnyQuestion) -> object:
    match q.type:
        case "single_choice":
            return next(c.id for c in q.choices if not c.correct)
        case "multiple_choice":
            return [c.id for c in q.choices if not c.correct]
        case "true_false":
            return not q.answer
        case "fill_blank":
            return ["\u2205 not an answer" for _ in q.blanks]
        case "short_answer":
            return "again"
        case "ordering":
            return [i.id for i in reversed(q.items)]
        case "matching":
            ids = [p.id for p in q.pairs]
            return dict(zip(ids, ids[1:] + ids[:1], strict=True))
        case "numeric":
            reference = q.value if q.value is not None else q.max
            assert reference is not None
            return reference * 10 + 1000
