library(httr2)
library(jsonlite)

site <- "http://127.0.0.1:8000"

pages <- list()
page <- 1
repeat {
  body <- request(site) |>
    req_url_path_append("api", "v1", "league", "2009-10") |>
    req_url_query(method = "equal-weight", page = page) |>
    req_perform() |>
    resp_body_string() |>
    fromJSON()
  pages[[page]] <- body$rows
  if (page >= body$pages) break
  page <- page + 1
}

league <- do.call(rbind, pages)  # the CSV download's columns, in its order
print(body$data_status)
head(league[, c("rank", "pct_code", "pct_name", "band", "rank_low", "rank_high")])
