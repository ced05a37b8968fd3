"""Tests of the deployment files: smithery.yaml and the CI workflows."""
