"""Renderers of a plan for people: text, markdown (PR comments), and the preview of copy."""
