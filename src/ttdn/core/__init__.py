"""The junctions every app plugs into: background jobs (`jobs`), events between modules
(`events`) and the failures they leave (`models.JobFailure`). Apps above import this;
this imports no app."""
