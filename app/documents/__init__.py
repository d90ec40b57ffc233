"""The printing engine: print templates rendered to PDF for an audience. It knows no area."""
