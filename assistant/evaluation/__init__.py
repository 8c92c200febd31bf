"""Answer quality, measured: question sets, the score of one answer, and a run over a set."""

from assistant.evaluation.questions import EvalFileError, EvalQuestion, Span, load_questions
from assistant.evaluation.run import DEFAULT_SET, evaluate, warm_up
from assistant.evaluation.scoring import Scored, score
from assistant.evaluation.summary import format_table, summarize

__all__ = [
    "DEFAULT_SET",
    "EvalFileError",
    "EvalQuestion",
    "Scored",
    "Span",
    "evaluate",
    "format_table",
    "load_questions",
    "score",
    "summarize",
    "warm_up",
]
