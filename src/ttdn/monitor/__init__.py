"""Monitor (theo dõi): sources, feeds, reports and stories, driven by `ttdn.pipeline`."""
