"""BackCare custom actions, served by the rasa-sdk action server (`rasa run actions`)."""
