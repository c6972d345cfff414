"""DIET-style models persisted with their trained weights only, not the optimizer's state.

Rasa stores a trained DIET or ResponseSelector with Keras' `save_weights` on
the compiled model, so the checkpoint holds Adam's two slots for every weight
beside the weight itself: two thirds of the FAQ selector's 204 MB. Nothing
that serves conversations reads them (`bot/rasa_overrides/inference_load.py`
loads without an optimizer, and Rasa's own load replaces its optimizer's state
by whatever the file holds, or keeps its fresh one), yet every start of the
Rasa server un-gzips and writes them out. BackCare's classifiers leave the
optimizer out of the checkpoint. The one thing that would use it, fine-tuning
(`rasa train --finetune`), starts Adam's moments afresh instead.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Dict, Iterator, Optional

import tensorflow as tf

OPTIMIZER = "optimizer"


@contextmanager
def optimizer_left_out(model: Optional[tf.keras.Model]) -> Iterator[None]:
    """While inside, a checkpoint of `model` holds everything of it but its optimizer."""
    if model is None:
        yield
        return
    children = model._trackable_children

    def without_optimizer(save_type: str = "checkpoint", **kwargs: Any) -> Dict[str, Any]:
        return {name: child for name, child in children(save_type, **kwargs).items() if name != OPTIMIZER}

    model._trackable_children = without_optimizer
    try:
        yield
    finally:
        del model._trackable_children
