"""JSON Schemas of scholarflow's output contracts (data files beside this module)."""
