"""Wagering arithmetic: what a bet covers and costs. Pure logic, no upstream call; imports
nothing from the tools."""
