"""The GP's chart: summary, journal, visits, problems, therapy, results, documents."""
