"""Loading a trained component with a chosen `RasaModel.load` (Rasa's or BackCare's)."""

from __future__ import annotations

from typing import Any, Callable, Dict

from rasa.engine.storage.resource import Resource
from rasa.utils.tensorflow.models import RasaModel


def load_from(
    trained: Dict[str, Any], component: type, resource: str, loader: Callable[..., RasaModel]
) -> Any:
    """`component` loaded from `resource` of `trained` (its storage, context and configs) with `loader`."""
    # The class attribute itself: `RasaModel.load` would be bound to RasaModel, not to the subclass loading.
    original = RasaModel.__dict__["load"]
    RasaModel.load = classmethod(loader)  # type: ignore[assignment,method-assign]
    try:
        return component.load(  # type: ignore[attr-defined]
            trained["configs"][component], trained["storage"], Resource(resource), trained["context"]
        )
    finally:
        RasaModel.load = original  # type: ignore[method-assign]
