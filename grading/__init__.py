"""Grading tools: a temporary nbgrader course, reference submissions, typical mistakes, calibration, benchmark."""
