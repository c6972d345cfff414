"""Custom Rasa NLU components used in `config.yml`.

Every Rasa process that loads the model imports this package, so it is also
where the server's action-response validation is swapped for a compiled one.
"""

from bot import action_validation

action_validation.install()
