# Reference implementation of Mailroom's catalog servers, in real Elixir.
#
# Loaded with `elixir -r tests/conformance/reference/catalog.exs SCENARIO.exs`
# by tests/conformance/record to produce the golden outputs. The C++ runtime
# implements the same servers natively; behaviour must match this file.

# Logger reports (crash reports, "unexpected message" reports) go to stderr,
# never stdout, so stdout goldens only hold what the program prints itself.
Logger.configure_backend(:console, device: :standard_error)

defmodule AsyncLogger do
  use GenServer

  def start_link do
    GenServer.start_link(__MODULE__, [], name: __MODULE__)
  end

  def log(message) do
    GenServer.cast(__MODULE__, {:log, message})
  end

  def get_logs do
    GenServer.call(__MODULE__, :get_logs)
  end

  @impl true
  def init(_opts) do
    {:ok, []}
  end

  @impl true
  def handle_cast({:log, message}, logs) do
    time =
      DateTime.utc_now()
      |> DateTime.truncate(:millisecond)
      |> DateTime.to_time()
      |> Time.to_string()

    entry = "[#{time}] #{message}"
    IO.puts(entry)
    {:noreply, [entry | logs]}
  end

  @impl true
  def handle_call(:get_logs, _from, logs) do
    {:reply, Enum.reverse(logs), logs}
  end
end

defmodule SlowServer do
  use GenServer

  @impl true
  def init(_opts) do
    {:ok, nil}
  end

  @impl true
  def handle_call(:sleep, _from, state) do
    IO.puts("Starting sleep")
    Process.sleep(1000)
    IO.puts("Ending sleep")
    {:reply, "response!", state}
  end

  def handle_call({:sleep, ms}, _from, state) do
    IO.puts("Starting sleep")
    Process.sleep(ms)
    IO.puts("Ending sleep")
    {:reply, "response!", state}
  end
end

defmodule Counter do
  use GenServer

  @impl true
  def init(_opts) do
    {:ok, 0}
  end

  @impl true
  def handle_call(:get_count, _from, state) do
    {:reply, state, state}
  end

  @impl true
  def handle_cast(:increment, state) do
    Process.sleep(1000)
    IO.puts("count: #{state + 1}")
    {:noreply, state + 1}
  end
end

defmodule Journal do
  use GenServer

  @impl true
  def init(_opts) do
    {:ok, []}
  end

  @impl true
  def handle_cast({:add_entry, message}, entries) do
    {:noreply, [message | entries]}
  end
end

defmodule Receiver do
  use GenServer

  @impl true
  def init(_opts) do
    {:ok, []}
  end

  @impl true
  def handle_info(:message, state) do
    IO.puts("Received a message!")
    {:noreply, state}
  end

  # Same as GenServer's default handle_info/2 (which `use GenServer` only
  # injects when the module defines no handle_info/2 of its own): log the
  # message as unexpected and go on.
  def handle_info(msg, state) do
    proc =
      case Process.info(self(), :registered_name) do
        {_, []} -> self()
        {_, name} -> name
      end

    :logger.error(
      %{
        label: {GenServer, :no_handle_info},
        report: %{module: __MODULE__, message: msg, name: proc}
      },
      %{
        domain: [:otp, :elixir],
        error_logger: %{tag: :error_msg},
        report_cb: &GenServer.format_report/1
      }
    )

    {:noreply, state}
  end
end

defmodule MisbehavingGenServer do
  use GenServer

  @impl true
  def init(_opts) do
    {:ok, []}
  end

  @impl true
  def handle_call(:message, _from, state) do
    GenServer.call(self(), :talking_to_myself)
    IO.puts("Received a message!")
    {:reply, state, state}
  end

  def handle_call(:talking_to_myself, _from, state) do
    IO.puts("Sent a message to myself")
    {:reply, state, state}
  end
end

defmodule IncrementingCounter do
  use GenServer

  @impl true
  def init(_opts) do
    schedule_increment()
    {:ok, 0}
  end

  @impl true
  def handle_info(:increment, state) do
    schedule_increment()
    {:noreply, state + 1}
  end

  defp schedule_increment do
    Process.send_after(self(), :increment, 1000)
  end
end

defmodule DecrementingCounter do
  use GenServer

  @impl true
  def init(_opts) do
    schedule_decrement()
    {:ok, 0}
  end

  @impl true
  def handle_info(:decrement, state) do
    schedule_decrement()
    {:noreply, state - 1}
  end

  defp schedule_decrement do
    Process.send_after(self(), :decrement, 500)
  end
end

defmodule PledgeServer do
  use GenServer

  @name :pledge_server

  defmodule State do
    defstruct cache_size: 3, pledges: []
  end

  # Client interface

  def start do
    GenServer.start(__MODULE__, %State{}, name: @name)
  end

  def start_link do
    GenServer.start_link(__MODULE__, %State{}, name: @name)
  end

  def create_pledge(name, amount) do
    GenServer.call(@name, {:create_pledge, name, amount})
  end

  def recent_pledges do
    GenServer.call(@name, :recent_pledges)
  end

  def total_pledged do
    GenServer.call(@name, :total_pledged)
  end

  def set_cache_size(size) do
    GenServer.cast(@name, {:set_cache_size, size})
  end

  def clear do
    GenServer.cast(@name, :clear)
  end

  # Server callbacks

  @impl true
  def init(state) do
    {:ok, state}
  end

  @impl true
  def handle_call({:create_pledge, name, amount}, _from, state) do
    pledges = Enum.take([{name, amount} | state.pledges], state.cache_size)
    {:reply, :ok, %{state | pledges: pledges}}
  end

  def handle_call(:recent_pledges, _from, state) do
    {:reply, state.pledges, state}
  end

  def handle_call(:total_pledged, _from, state) do
    total = state.pledges |> Enum.map(&elem(&1, 1)) |> Enum.sum()
    {:reply, total, state}
  end

  @impl true
  def handle_cast({:set_cache_size, size}, state) do
    {:noreply, %{state | cache_size: size, pledges: Enum.take(state.pledges, size)}}
  end

  def handle_cast(:clear, state) do
    {:noreply, %{state | pledges: []}}
  end
end
