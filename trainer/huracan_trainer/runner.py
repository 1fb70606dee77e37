"""Running training for many coins: one Ray task per coin (workers_per_coin CPUs and
gpu_per_worker GPUs as the task's resources) on the configured cluster or a local Ray instance,
or local worker processes. Progress is printed per coin as each finishes."""

import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed

from .train import TrainOptions, train_coin


def report(done: int, total: int, result: dict, started: float) -> None:
    print(f"[{done}/{total}] {result['coin']}: {result['models']} models from {result['rows']} rows "
          f"in {result['seconds']}s, best sharpe {result['best_sharpe']:.2f} (elapsed {time.time() - started:.1f}s)",
          flush=True)


def run_local(coins: list[str], options: TrainOptions, processes: int) -> list[dict]:
    started = time.time()
    results = []
    if processes <= 1:
        for coin in coins:
            results.append(train_coin(coin, options))
            report(len(results), len(coins), results[-1], started)
        return results
    with ProcessPoolExecutor(max_workers=processes) as pool:
        futures = {pool.submit(train_coin, coin, options): coin for coin in coins}
        for future in as_completed(futures):
            results.append(future.result())
            report(len(results), len(coins), results[-1], started)
    return results


def run_ray(coins: list[str], options: TrainOptions, address: str | None, workers_per_coin: int, gpu_per_worker: int,
            local_cpus: int | None = None) -> list[dict]:
    import ray

    started = time.time()
    package_dir = os.path.dirname(os.path.abspath(__file__))
    runtime_env = {"py_modules": [package_dir]}
    if address:
        ray.init(address=address, runtime_env=runtime_env, log_to_driver=False)
    else:
        # A local instance sized to this machine (or to --cpus).
        ray.init(num_cpus=local_cpus, runtime_env=runtime_env, include_dashboard=False, log_to_driver=False)
    print(f"ray: {ray.cluster_resources()}", flush=True)
    try:
        task = ray.remote(num_cpus=workers_per_coin, num_gpus=gpu_per_worker)(train_coin)
        options.threads = workers_per_coin
        options.gpu = gpu_per_worker
        pending = {task.remote(coin, options): coin for coin in coins}
        results = []
        while pending:
            ready, _ = ray.wait(list(pending), num_returns=1)
            for ref in ready:
                coin = pending.pop(ref)
                try:
                    results.append(ray.get(ref))
                except Exception as error:  # the coin fails, the others go on
                    print(f"{coin}: training failed: {error}", file=sys.stderr, flush=True)
                    continue
                report(len(results), len(coins), results[-1], started)
        return results
    finally:
        ray.shutdown()
