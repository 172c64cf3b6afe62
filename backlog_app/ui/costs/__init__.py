"""The Costs page's parts: the entry dialog, the plan-year totals and the surprise-bill flags."""
