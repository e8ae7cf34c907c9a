"""A job for the task queue's own tests: it naps, so that a worker can be killed while running it."""

import time

from django_tasks import task


@task()
def nap(seconds: float) -> str:
    time.sleep(seconds)
    return "rested"
