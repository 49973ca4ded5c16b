"""The pure core: the plan's input values, the diff and the planner, and the plan itself."""
