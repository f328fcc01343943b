IO.puts("half-run")
text = """
line one
line two
