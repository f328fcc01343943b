IO.puts("half-run")
}
