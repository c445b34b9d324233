"""A round's life once set up: opening, inviting and reminding experts, tracking who answered,
deadlines, printed letters and personal links, closing and reopening."""
