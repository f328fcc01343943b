IO.puts("half-run")
k = :a
%{k => v} = %{a: 1}
