# One image for every BackCare process (Rasa server, action server, web page);
# docker-compose.yml picks the command.
FROM python:3.10-slim

WORKDIR /app
ENV PYTHONUNBUFFERED=1 TF_CPP_MIN_LOG_LEVEL=2

COPY requirements/ requirements/
RUN pip install --no-cache-dir pip==24.0 \
 && pip install --no-cache-dir -r requirements/lock.txt \
 && pip install --no-cache-dir --no-deps --require-hashes -r requirements/spacy-model.txt

COPY . .
RUN pip install --no-cache-dir --no-deps --no-build-isolation -e . \
 && backcare train

EXPOSE 5005 5055 8080
# The default command is the Rasa server, whose `/` answers once the model is
# loaded. The image has no curl: bot/healthcheck.py is the client.
# docker-compose.yml gives each service the check for its own port.
HEALTHCHECK --interval=15s --timeout=5s --start-period=300s --retries=4 \
  CMD ["python", "-m", "bot.healthcheck", "http://127.0.0.1:5005/"]
CMD ["backcare", "serve", "--host", "0.0.0.0"]
