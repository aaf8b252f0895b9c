"""Evaluation: labelled cases, metrics, and the `scholarflow eval` harness."""
