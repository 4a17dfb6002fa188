"""Named SQL queries over the published warehouse snapshot, run through one gateway."""
