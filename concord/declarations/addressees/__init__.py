"""Who a declaration is addressed to, what was delivered to them, what they answered and
pledged."""
