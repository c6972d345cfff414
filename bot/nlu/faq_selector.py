"""Rasa's ResponseSelector, asked only about the messages whose intent is its retrieval intent.

The selector picks the answer to a self-care question (`faq/<topic>`), and only
`action_answer_faq`, after the intent `faq`, reads its choice (the rule in
data/rules.yml; the quality set's scoring reads it for `faq` too). Stock Rasa
runs it on every message: a second DIET-sized network per turn, 12% of the
server's time under the benchmark's load (bench/profile.md). It is trained as
Rasa trains it, runs after the intent classifiers, and gives the messages it
is asked about exactly what Rasa's gives them (a component test trains both
and compares); other messages carry no selector output, as if there were no
selector. Its weights are stored without the optimizer's state
(bot/nlu/weights_only.py).
"""

from __future__ import annotations

from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.selectors.response_selector import ResponseSelector
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.weights_only import optimizer_left_out


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class FaqResponseSelector(ResponseSelector):
    """`ResponseSelector` for the messages classified as its `retrieval_intent` only."""

    def process(self, messages: List[Message]) -> List[Message]:
        asked = [message for message in messages if self._is_asked(message)]
        if asked:
            super().process(asked)
        return messages

    def persist(self) -> None:
        with optimizer_left_out(self.model):
            super().persist()

    def _is_asked(self, message: Message) -> bool:
        # Without a `retrieval_intent` in its configuration the selector answers every retrieval intent.
        wanted = [self.retrieval_intent] if self.retrieval_intent else self.all_retrieval_intents
        return (message.get(INTENT) or {}).get(INTENT_NAME_KEY) in wanted
