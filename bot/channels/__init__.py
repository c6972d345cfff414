"""BackCare's own Rasa input/output channels (configured in credentials.yml)."""
