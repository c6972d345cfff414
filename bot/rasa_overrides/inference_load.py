"""Loading a trained TensorFlow model (DIET, ResponseSelector) for prediction only.

Rasa's `RasaModel.load` builds the model's weights by compiling it with an
Adam optimizer and training it for one step on an example, then reads the
trained weights over them. The serving process does not train: that step
traces the whole training graph (gradients included) and leaves the
optimizer's two slots per weight in memory, for every model. With BackCare's
three models (two intent classifiers, the FAQ selector) that was 700 MB of
the Rasa server's 1.65 GB, and its start-up took 17 s instead of 11.

Here, when Rasa loads for prediction (not to fine-tune) and has an example to
predict on, the weights are read first and the example's prediction creates
them: TensorFlow restores each weight from the checkpoint as it is created,
so the first prediction, which also prepares Rasa's label embeddings, already
uses the trained values. Every weight the prediction created must have been
found in the checkpoint (else the load fails, as a broken model should); the
optimizer's slots in the checkpoint are left unread. Any other load is Rasa's.
"""

from __future__ import annotations

from typing import Any, Optional, Text

from rasa.utils.tensorflow.model_data import RasaModelData
from rasa.utils.tensorflow.models import RasaModel

_stock_load = RasaModel.load.__func__  # type: ignore[attr-defined]


def load(
    cls: type,
    model_file_name: Text,
    model_data_example: RasaModelData,
    predict_data_example: Optional[RasaModelData] = None,
    finetune_mode: bool = False,
    *args: Any,
    **kwargs: Any,
) -> RasaModel:
    """`RasaModel.load`, without the training step when the model is loaded to predict."""
    if finetune_mode or not predict_data_example:
        return _stock_load(
            cls, model_file_name, model_data_example, predict_data_example, finetune_mode, *args, **kwargs
        )
    model: RasaModel = cls(*args, **kwargs)
    status = model.load_weights(model_file_name)
    model.run_inference(predict_data_example)  # creates the weights; each is restored as it is created
    status.assert_existing_objects_matched()
    status.expect_partial()  # the optimizer's slots stay in the file
    return model


def install() -> None:
    RasaModel.load = classmethod(load)  # type: ignore[assignment,method-assign]
