"""The README's Python example, kept runnable (tests/python/test_examples.py runs it)."""
import numpy as np
import bankquant as bq

bq.set_num_threads(2)                                  # bankquant's own pool; 0 = all cores
prices = bq.datasets.dow_jones_30()                    # bundled real data, a DataFrame
returns = np.diff(np.log(prices["IBM"].to_numpy()))
print("1% quantile:", bq.stats.quantile(returns, 0.01))   # numpy's definition, to the bit
z = bq.random.standard_normal(1_000_000, seed=42)      # same numbers on 1 or 16 threads
print("simulated 1% quantile:", bq.stats.quantile(returns.std() * z, 0.01))
bq.io.save_model("ibm.json", "example", {"q01": bq.stats.quantile(returns, 0.01)})
print(bq.io.load_model("ibm.json", kind="example").model)
