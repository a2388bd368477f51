import pandas as pd
import requests

SITE = "http://127.0.0.1:8000"

rows, page = [], 1
while True:
    answer = requests.get(
        f"{SITE}/api/v1/league/2009-10",
        params={"method": "equal-weight", "page": page},
        timeout=30,
    )
    answer.raise_for_status()  # a 400 or 404 says why in answer.json()["detail"]
    body = answer.json()
    rows += body["rows"]
    if page >= body["pages"]:
        break
    page += 1

league = pd.DataFrame(rows)  # the CSV download's columns, in its order
print(body["data_status"])
print(league[["rank", "pct_code", "pct_name", "band", "rank_low", "rank_high"]].head())
