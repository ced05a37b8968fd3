"""Tests of the deployment files: the Smithery config schema, dev script, CI workflows."""
