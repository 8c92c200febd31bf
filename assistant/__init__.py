"""A local assistant that answers from your documents only, with verified citations.

from assistant import Assistant
answer = Assistant().ask("Who replaced the envoy?")
"""

from assistant.core import AnswerStream, Assistant, EmptyQuestionError
from assistant.types import Answer, Citation, Passage, Timings

__all__ = [
    "Answer",
    "AnswerStream",
    "Assistant",
    "Citation",
    "EmptyQuestionError",
    "Passage",
    "Timings",
]
