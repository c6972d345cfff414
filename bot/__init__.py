"""BackCare: a self-care assistant for low-back pain."""
