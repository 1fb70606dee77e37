// Runtime: shards, services and the terminal view.
